-- 0030 (issue 16): checkpoint passages (卡口过车), one row per checkpoint, time and plate (normalised: 粤B·12345 →
-- 粤B12345), fed by ingestion of checkpoint.passage events; a passage sent again stores nothing. IsNight (22:00–06:00
-- China time) is fixed at storing for the risk score. The key is the (device, time) B-tree; (plate, time) finds a plate.

CREATE TABLE "VehiclePassages" (
    "DeviceId" TEXT NOT NULL,
    "Utc" TEXT NOT NULL,
    "Plate" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "Direction" TEXT NULL,
    "Lane" TEXT NULL,
    "IsNight" INTEGER NOT NULL,
    "EventId" TEXT NULL,
    "StoredUtc" TEXT NOT NULL,
    CONSTRAINT "PK_VehiclePassages" PRIMARY KEY ("DeviceId", "Utc", "Plate"),
    CONSTRAINT "FK_VehiclePassages_Devices_DeviceId" FOREIGN KEY ("DeviceId") REFERENCES "Devices" ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_VehiclePassages_Plate_Utc" ON "VehiclePassages" ("Plate", "Utc");

CREATE INDEX "IX_VehiclePassages_Utc" ON "VehiclePassages" ("Utc");
