-- 0026 (issue 15): the field app's device id on each patrol (X-Device-Id when the start arrived; not in the payload
-- hash) and the phone's clock read from every field request, stored only when it moved (bounded).

ALTER TABLE "Patrols" ADD COLUMN "DeviceId" uuid;

CREATE INDEX "IX_Patrols_DeviceId_StartedUtc" ON "Patrols" ("DeviceId", "StartedUtc");

CREATE TABLE "DeviceClockReadings" (
    "Id" uuid NOT NULL,
    "UserId" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "DeviceId" uuid,
    "ServerUtc" timestamp with time zone NOT NULL,
    "SkewSeconds" double precision NOT NULL,
    "Request" character varying(16) NOT NULL,
    CONSTRAINT "PK_DeviceClockReadings" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_DeviceClockReadings_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_DeviceClockReadings_UserId_DeviceId_ServerUtc" ON "DeviceClockReadings" ("UserId", "DeviceId", "ServerUtc");
