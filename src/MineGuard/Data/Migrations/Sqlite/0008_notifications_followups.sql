-- 0008: in-app notifications, the SMS outbox, follow-up items (待办事项).

CREATE TABLE "Notifications" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Notifications" PRIMARY KEY,
    "UserId" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "Title" TEXT NOT NULL,
    "Body" TEXT NOT NULL,
    "Link" TEXT NULL,
    "SourceType" TEXT NOT NULL,
    "SourceId" TEXT NULL,
    "CreatedUtc" TEXT NOT NULL,
    "ReadUtc" TEXT NULL,
    CONSTRAINT "FK_Notifications_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "SmsMessages" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_SmsMessages" PRIMARY KEY,
    "DivisionCode" TEXT NOT NULL,
    "Phone" TEXT NOT NULL,
    "Text" TEXT NOT NULL,
    "UserId" TEXT NULL,
    "SourceType" TEXT NOT NULL,
    "SourceId" TEXT NULL,
    "Status" INTEGER NOT NULL,
    "Attempts" INTEGER NOT NULL,
    "CreatedUtc" TEXT NOT NULL,
    "NextAttemptUtc" TEXT NOT NULL,
    "ClaimedBy" TEXT NULL,
    "ClaimedUntilUtc" TEXT NULL,
    "SentUtc" TEXT NULL,
    "GatewayMessageId" TEXT NULL,
    "LastError" TEXT NULL,
    CONSTRAINT "FK_SmsMessages_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE SET NULL
);

CREATE TABLE "FollowUps" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_FollowUps" PRIMARY KEY,
    "DivisionCode" TEXT NOT NULL,
    "AditId" TEXT NULL,
    "SourceType" TEXT NOT NULL,
    "SourceId" TEXT NULL,
    "Title" TEXT NOT NULL,
    "Detail" TEXT NULL,
    "AssigneeUserId" TEXT NULL,
    "DueOn" TEXT NULL,
    "Status" INTEGER NOT NULL,
    "CreatedUtc" TEXT NOT NULL,
    "CreatedById" TEXT NULL,
    "ClosedUtc" TEXT NULL,
    "ClosedById" TEXT NULL,
    "Resolution" TEXT NULL,
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
