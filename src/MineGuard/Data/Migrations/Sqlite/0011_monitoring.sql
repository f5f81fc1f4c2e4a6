-- 0011: monitoring — devices, device events, alert rules, alerts and their timeline, SMS delivery attempts.

CREATE TABLE "AlertRules" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_AlertRules" PRIMARY KEY,
    "DivisionCode" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "EventTypes" TEXT NOT NULL,
    "Subjects" TEXT NOT NULL,
    "Actions" TEXT NOT NULL,
    "AditId" TEXT NULL,
    "SealedAditsOnly" INTEGER NOT NULL,
    "AditZonesOnly" INTEGER NOT NULL,
    "NightOnly" INTEGER NOT NULL,
    "Severity" INTEGER NOT NULL,
    "NotifyDepartment" TEXT NULL,
    "Enabled" INTEGER NOT NULL,
    "DefaultKey" TEXT NULL,
    "CreatedUtc" TEXT NOT NULL
);

CREATE TABLE "DeviceEvents" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_DeviceEvents" PRIMARY KEY,
    "DivisionCode" TEXT NOT NULL,
    "ApiKeyId" TEXT NOT NULL,
    "ExternalId" TEXT NOT NULL,
    "Type" TEXT NOT NULL,
    "DeviceId" TEXT NULL,
    "OccurredUtc" TEXT NOT NULL,
    "ReceivedUtc" TEXT NOT NULL,
    "Lon" REAL NULL,
    "Lat" REAL NULL,
    "Data" TEXT NOT NULL,
    "AlertId" TEXT NULL
);

CREATE TABLE "SmsAttempts" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_SmsAttempts" PRIMARY KEY,
    "SmsMessageId" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "Number" INTEGER NOT NULL,
    "Node" TEXT NOT NULL,
    "StartedUtc" TEXT NOT NULL,
    "FinishedUtc" TEXT NULL,
    "Outcome" INTEGER NOT NULL,
    "GatewayMessageId" TEXT NULL,
    "Error" TEXT NULL,
    CONSTRAINT "FK_SmsAttempts_SmsMessages_SmsMessageId" FOREIGN KEY ("SmsMessageId") REFERENCES "SmsMessages" ("Id") ON DELETE CASCADE
);

CREATE TABLE "Alerts" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Alerts" PRIMARY KEY,
    "DivisionCode" TEXT NOT NULL,
    "CountyCode" TEXT NOT NULL,
    "CorrelationKey" TEXT NOT NULL,
    "AditId" TEXT NULL,
    "DeviceId" TEXT NULL,
    "RuleKey" TEXT NOT NULL,
    "EventType" TEXT NOT NULL,
    "Title" TEXT NOT NULL,
    "Severity" INTEGER NOT NULL,
    "Status" INTEGER NOT NULL,
    "Level" INTEGER NOT NULL,
    "NotifyDepartment" TEXT NULL,
    "Lon" REAL NULL,
    "Lat" REAL NULL,
    "OpenedUtc" TEXT NOT NULL,
    "LastSignalUtc" TEXT NOT NULL,
    "SignalCount" INTEGER NOT NULL,
    "RoutedUtc" TEXT NULL,
    "AssigneeUserId" TEXT NULL,
    "AckDueUtc" TEXT NOT NULL,
    "VerifyDueUtc" TEXT NOT NULL,
    "AcknowledgedUtc" TEXT NULL,
    "AcknowledgedById" TEXT NULL,
    "ClosedUtc" TEXT NULL,
    "ClosedById" TEXT NULL,
    "Outcome" INTEGER NOT NULL,
    "FalseAlarmReason" INTEGER NULL,
    "OutcomeNote" TEXT NULL,
    "FollowUpId" TEXT NULL,
    "IsDemo" INTEGER NOT NULL,
    CONSTRAINT "FK_Alerts_Adits_AditId" FOREIGN KEY ("AditId") REFERENCES "Adits" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "Devices" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Devices" PRIMARY KEY,
    "DivisionCode" TEXT NOT NULL,
    "Kind" INTEGER NOT NULL,
    "Code" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "ApiKeyId" TEXT NOT NULL,
    "AditId" TEXT NULL,
    "MineId" TEXT NULL,
    "OwnerUserId" TEXT NULL,
    "Lon" REAL NULL,
    "Lat" REAL NULL,
    "RadiusMeters" REAL NULL,
    "PolygonGeoJson" TEXT NULL,
    "HeartbeatMinutes" INTEGER NOT NULL,
    "LastSeenUtc" TEXT NULL,
    "IsDemo" INTEGER NOT NULL,
    "CreatedUtc" TEXT NOT NULL,
    CONSTRAINT "FK_Devices_Adits_AditId" FOREIGN KEY ("AditId") REFERENCES "Adits" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Devices_ApiKeys_ApiKeyId" FOREIGN KEY ("ApiKeyId") REFERENCES "ApiKeys" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Devices_AspNetUsers_OwnerUserId" FOREIGN KEY ("OwnerUserId") REFERENCES "AspNetUsers" ("Id") ON DELETE SET NULL
);

CREATE TABLE "AlertEntries" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_AlertEntries" PRIMARY KEY,
    "AlertId" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "AtUtc" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "Text" TEXT NOT NULL,
    "ByUserId" TEXT NULL,
    "EventId" TEXT NULL,
    CONSTRAINT "FK_AlertEntries_Alerts_AlertId" FOREIGN KEY ("AlertId") REFERENCES "Alerts" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_AlertEntries_AlertId_AtUtc" ON "AlertEntries" ("AlertId", "AtUtc");

CREATE INDEX "IX_AlertRules_DivisionCode" ON "AlertRules" ("DivisionCode");

CREATE INDEX "IX_Alerts_AditId" ON "Alerts" ("AditId");

CREATE INDEX "IX_Alerts_CorrelationKey_Status" ON "Alerts" ("CorrelationKey", "Status");

CREATE INDEX "IX_Alerts_DivisionCode_Status_OpenedUtc" ON "Alerts" ("DivisionCode", "Status", "OpenedUtc");

CREATE INDEX "IX_Alerts_Status_AckDueUtc" ON "Alerts" ("Status", "AckDueUtc");

CREATE INDEX "IX_Alerts_Status_RoutedUtc" ON "Alerts" ("Status", "RoutedUtc");

CREATE INDEX "IX_DeviceEvents_AlertId" ON "DeviceEvents" ("AlertId");

CREATE UNIQUE INDEX "IX_DeviceEvents_ApiKeyId_ExternalId" ON "DeviceEvents" ("ApiKeyId", "ExternalId");

CREATE INDEX "IX_DeviceEvents_DeviceId_OccurredUtc" ON "DeviceEvents" ("DeviceId", "OccurredUtc");

CREATE INDEX "IX_Devices_AditId" ON "Devices" ("AditId");

CREATE UNIQUE INDEX "IX_Devices_ApiKeyId_Code" ON "Devices" ("ApiKeyId", "Code");

CREATE INDEX "IX_Devices_DivisionCode" ON "Devices" ("DivisionCode");

CREATE INDEX "IX_Devices_OwnerUserId" ON "Devices" ("OwnerUserId");

CREATE INDEX "IX_SmsAttempts_SmsMessageId_Number" ON "SmsAttempts" ("SmsMessageId", "Number");
