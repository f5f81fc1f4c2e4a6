-- 0027 (issue 16): electricity meter readings as a time series, one row per meter and time (interval kWh or the
-- register), fed by ingestion (meter.readings) and by the power company's upload. A plain table keyed (device, time).

CREATE TABLE "MeterReadings" (
    "DeviceId" TEXT NOT NULL,
    "Utc" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "Kwh" REAL NOT NULL,
    "Kind" INTEGER NOT NULL,
    "Source" TEXT NOT NULL,
    "StoredUtc" TEXT NOT NULL,
    "ReplacedKwh" REAL NULL,
    CONSTRAINT "PK_MeterReadings" PRIMARY KEY ("DeviceId", "Utc"),
    CONSTRAINT "FK_MeterReadings_Devices_DeviceId" FOREIGN KEY ("DeviceId") REFERENCES "Devices" ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_MeterReadings_Utc" ON "MeterReadings" ("Utc");
