-- 0044 (issue 19, publicity): 宣传活动 — kind, day, place, people reached, departments, an optional campaign — and the
-- villages each reached (the coverage of the mining townships' villages reads them); materials are evidence files.

CREATE TABLE "PublicityActivities" (
    "Id" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "Kind" character varying(40) NOT NULL,
    "OnDate" date NOT NULL,
    "Place" character varying(200) NOT NULL,
    "Topic" character varying(500),
    "PeopleReached" integer NOT NULL,
    "Departments" character varying(400) NOT NULL,
    "CampaignId" uuid,
    "ClientId" uuid,
    "CreatedById" uuid,
    "CreatedUtc" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_PublicityActivities" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_PublicityActivities_Campaigns_CampaignId" FOREIGN KEY ("CampaignId") REFERENCES "Campaigns" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "PublicityVillages" (
    "Id" uuid NOT NULL,
    "ActivityId" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "OnDate" date NOT NULL,
    CONSTRAINT "PK_PublicityVillages" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_PublicityVillages_PublicityActivities_ActivityId" FOREIGN KEY ("ActivityId") REFERENCES "PublicityActivities" ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_PublicityActivities_CampaignId" ON "PublicityActivities" ("CampaignId");

CREATE UNIQUE INDEX "IX_PublicityActivities_ClientId" ON "PublicityActivities" ("ClientId");

CREATE INDEX "IX_PublicityActivities_DivisionCode_OnDate" ON "PublicityActivities" ("DivisionCode", "OnDate");

CREATE UNIQUE INDEX "IX_PublicityVillages_ActivityId_DivisionCode" ON "PublicityVillages" ("ActivityId", "DivisionCode");

CREATE INDEX "IX_PublicityVillages_DivisionCode_OnDate" ON "PublicityVillages" ("DivisionCode", "OnDate");
