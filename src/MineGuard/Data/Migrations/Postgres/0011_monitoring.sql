-- 0011: monitoring — devices, device events, alert rules, alerts and their timeline, SMS delivery attempts.

CREATE TABLE "AlertRules" (
    "Id" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "Name" character varying(200) NOT NULL,
    "EventTypes" character varying(300) NOT NULL,
    "Subjects" character varying(100) NOT NULL,
    "Actions" character varying(100) NOT NULL,
    "AditId" uuid,
    "SealedAditsOnly" boolean NOT NULL,
    "AditZonesOnly" boolean NOT NULL,
    "NightOnly" boolean NOT NULL,
    "Severity" integer NOT NULL,
    "NotifyDepartment" character varying(40),
    "Enabled" boolean NOT NULL,
    "DefaultKey" character varying(60),
    "CreatedUtc" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_AlertRules" PRIMARY KEY ("Id")
);

CREATE TABLE "DeviceEvents" (
    "Id" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "ApiKeyId" uuid NOT NULL,
    "ExternalId" character varying(100) NOT NULL,
    "Type" character varying(40) NOT NULL,
    "DeviceId" uuid,
    "OccurredUtc" timestamp with time zone NOT NULL,
    "ReceivedUtc" timestamp with time zone NOT NULL,
    "Lon" double precision,
    "Lat" double precision,
    "Data" character varying(20000) NOT NULL,
    "AlertId" uuid,
    CONSTRAINT "PK_DeviceEvents" PRIMARY KEY ("Id")
);

CREATE TABLE "SmsAttempts" (
    "Id" uuid NOT NULL,
    "SmsMessageId" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "Number" integer NOT NULL,
    "Node" character varying(100) NOT NULL,
    "StartedUtc" timestamp with time zone NOT NULL,
    "FinishedUtc" timestamp with time zone,
    "Outcome" integer NOT NULL,
    "GatewayMessageId" character varying(100),
    "Error" character varying(500),
    CONSTRAINT "PK_SmsAttempts" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_SmsAttempts_SmsMessages_SmsMessageId" FOREIGN KEY ("SmsMessageId") REFERENCES "SmsMessages" ("Id") ON DELETE CASCADE
);

CREATE TABLE "Alerts" (
    "Id" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "CountyCode" character varying(24) NOT NULL,
    "CorrelationKey" character varying(60) NOT NULL,
    "AditId" uuid,
    "DeviceId" uuid,
    "RuleKey" character varying(60) NOT NULL,
    "EventType" character varying(40) NOT NULL,
    "Title" character varying(200) NOT NULL,
    "Severity" integer NOT NULL,
    "Status" integer NOT NULL,
    "Level" integer NOT NULL,
    "NotifyDepartment" character varying(40),
    "Lon" double precision,
    "Lat" double precision,
    "OpenedUtc" timestamp with time zone NOT NULL,
    "LastSignalUtc" timestamp with time zone NOT NULL,
    "SignalCount" integer NOT NULL,
    "RoutedUtc" timestamp with time zone,
    "AssigneeUserId" uuid,
    "AckDueUtc" timestamp with time zone NOT NULL,
    "VerifyDueUtc" timestamp with time zone NOT NULL,
    "AcknowledgedUtc" timestamp with time zone,
    "AcknowledgedById" uuid,
    "ClosedUtc" timestamp with time zone,
    "ClosedById" uuid,
    "Outcome" integer NOT NULL,
    "FalseAlarmReason" integer,
    "OutcomeNote" character varying(2000),
    "FollowUpId" uuid,
    "IsDemo" boolean NOT NULL,
    CONSTRAINT "PK_Alerts" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_Alerts_Adits_AditId" FOREIGN KEY ("AditId") REFERENCES "Adits" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "Devices" (
    "Id" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "Kind" integer NOT NULL,
    "Code" character varying(100) COLLATE "C" NOT NULL,
    "Name" character varying(200) NOT NULL,
    "ApiKeyId" uuid NOT NULL,
    "AditId" uuid,
    "MineId" uuid,
    "OwnerUserId" uuid,
    "Lon" double precision,
    "Lat" double precision,
    "RadiusMeters" double precision,
    "PolygonGeoJson" character varying(20000),
    "HeartbeatMinutes" integer NOT NULL,
    "LastSeenUtc" timestamp with time zone,
    "IsDemo" boolean NOT NULL,
    "CreatedUtc" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_Devices" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_Devices_Adits_AditId" FOREIGN KEY ("AditId") REFERENCES "Adits" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Devices_ApiKeys_ApiKeyId" FOREIGN KEY ("ApiKeyId") REFERENCES "ApiKeys" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Devices_AspNetUsers_OwnerUserId" FOREIGN KEY ("OwnerUserId") REFERENCES "AspNetUsers" ("Id") ON DELETE SET NULL
);

CREATE TABLE "AlertEntries" (
    "Id" uuid NOT NULL,
    "AlertId" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "AtUtc" timestamp with time zone NOT NULL,
    "Kind" character varying(30) NOT NULL,
    "Text" character varying(1000) NOT NULL,
    "ByUserId" uuid,
    "EventId" uuid,
    CONSTRAINT "PK_AlertEntries" PRIMARY KEY ("Id"),
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
