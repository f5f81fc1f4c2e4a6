-- 0026 (issue 15): the field app's device id on each patrol (X-Device-Id when the start arrived; not in the payload
-- hash) and the phone's clock read from every field request, stored only when it moved (bounded).

ALTER TABLE "Patrols" ADD COLUMN "DeviceId" TEXT NULL;

CREATE INDEX "IX_Patrols_DeviceId_StartedUtc" ON "Patrols" ("DeviceId", "StartedUtc");

CREATE TABLE "DeviceClockReadings" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_DeviceClockReadings" PRIMARY KEY,
    "UserId" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "DeviceId" TEXT NULL,
    "ServerUtc" TEXT NOT NULL,
    "SkewSeconds" REAL NOT NULL,
    "Request" TEXT NOT NULL,
    CONSTRAINT "FK_DeviceClockReadings_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_DeviceClockReadings_UserId_DeviceId_ServerUtc" ON "DeviceClockReadings" ("UserId", "DeviceId", "ServerUtc");
