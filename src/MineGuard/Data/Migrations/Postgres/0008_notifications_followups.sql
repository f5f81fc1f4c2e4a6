-- 0008: in-app notifications, the SMS outbox, follow-up items (待办事项).

CREATE TABLE "Notifications" (
    "Id" uuid NOT NULL,
    "UserId" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "Title" character varying(200) NOT NULL,
    "Body" character varying(2000) NOT NULL,
    "Link" character varying(300),
    "SourceType" character varying(40) NOT NULL,
    "SourceId" uuid,
    "CreatedUtc" timestamp with time zone NOT NULL,
    "ReadUtc" timestamp with time zone,
    CONSTRAINT "PK_Notifications" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_Notifications_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "SmsMessages" (
    "Id" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "Phone" character varying(20) NOT NULL,
    "Text" character varying(500) NOT NULL,
    "UserId" uuid,
    "SourceType" character varying(40) NOT NULL,
    "SourceId" uuid,
    "Status" integer NOT NULL,
    "Attempts" integer NOT NULL,
    "CreatedUtc" timestamp with time zone NOT NULL,
    "NextAttemptUtc" timestamp with time zone NOT NULL,
    "ClaimedBy" character varying(100),
    "ClaimedUntilUtc" timestamp with time zone,
    "SentUtc" timestamp with time zone,
    "GatewayMessageId" character varying(100),
    "LastError" character varying(500),
    CONSTRAINT "PK_SmsMessages" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_SmsMessages_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE SET NULL
);

CREATE TABLE "FollowUps" (
    "Id" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "AditId" uuid,
    "SourceType" character varying(40) NOT NULL,
    "SourceId" uuid,
    "Title" character varying(200) NOT NULL,
    "Detail" character varying(2000),
    "AssigneeUserId" uuid,
    "DueOn" date,
    "Status" integer NOT NULL,
    "CreatedUtc" timestamp with time zone NOT NULL,
    "CreatedById" uuid,
    "ClosedUtc" timestamp with time zone,
    "ClosedById" uuid,
    "Resolution" character varying(2000),
    CONSTRAINT "PK_FollowUps" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_FollowUps_Adits_AditId" FOREIGN KEY ("AditId") REFERENCES "Adits" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_FollowUps_AspNetUsers_AssigneeUserId" FOREIGN KEY ("AssigneeUserId") REFERENCES "AspNetUsers" ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_FollowUps_AditId" ON "FollowUps" ("AditId");

CREATE INDEX "IX_FollowUps_AssigneeUserId" ON "FollowUps" ("AssigneeUserId");

CREATE INDEX "IX_FollowUps_DivisionCode_Status_CreatedUtc" ON "FollowUps" ("DivisionCode", "Status", "CreatedUtc");

CREATE INDEX "IX_FollowUps_SourceType_SourceId" ON "FollowUps" ("SourceType", "SourceId");

CREATE INDEX "IX_Notifications_UserId_ReadUtc_CreatedUtc" ON "Notifications" ("UserId", "ReadUtc", "CreatedUtc");

CREATE INDEX "IX_SmsMessages_DivisionCode_CreatedUtc" ON "SmsMessages" ("DivisionCode", "CreatedUtc");

CREATE INDEX "IX_SmsMessages_Status_NextAttemptUtc" ON "SmsMessages" ("Status", "NextAttemptUtc");

CREATE INDEX "IX_SmsMessages_UserId" ON "SmsMessages" ("UserId");
