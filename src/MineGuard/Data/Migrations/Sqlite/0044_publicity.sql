-- 0044 (issue 19, publicity): 宣传活动 — kind, day, place, people reached, departments, an optional campaign — and the
-- villages each reached (the coverage of the mining townships' villages reads them); materials are evidence files.

CREATE TABLE "PublicityActivities" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_PublicityActivities" PRIMARY KEY,
    "DivisionCode" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "OnDate" TEXT NOT NULL,
    "Place" TEXT NOT NULL,
    "Topic" TEXT NULL,
    "PeopleReached" INTEGER NOT NULL,
    "Departments" TEXT NOT NULL,
    "CampaignId" TEXT NULL,
    "ClientId" TEXT NULL,
    "CreatedById" TEXT NULL,
    "CreatedUtc" TEXT NOT NULL,
    CONSTRAINT "FK_PublicityActivities_Campaigns_CampaignId" FOREIGN KEY ("CampaignId") REFERENCES "Campaigns" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "PublicityVillages" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_PublicityVillages" PRIMARY KEY,
    "ActivityId" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "OnDate" TEXT NOT NULL,
    CONSTRAINT "FK_PublicityVillages_PublicityActivities_ActivityId" FOREIGN KEY ("ActivityId") REFERENCES "PublicityActivities" ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_PublicityActivities_CampaignId" ON "PublicityActivities" ("CampaignId");

CREATE UNIQUE INDEX "IX_PublicityActivities_ClientId" ON "PublicityActivities" ("ClientId");

CREATE INDEX "IX_PublicityActivities_DivisionCode_OnDate" ON "PublicityActivities" ("DivisionCode", "OnDate");

CREATE UNIQUE INDEX "IX_PublicityVillages_ActivityId_DivisionCode" ON "PublicityVillages" ("ActivityId", "DivisionCode");

CREATE INDEX "IX_PublicityVillages_DivisionCode_OnDate" ON "PublicityVillages" ("DivisionCode", "OnDate");
