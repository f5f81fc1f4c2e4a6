-- 0017 (issue 12): places name a responsible person (责任人, with or without a log-in) instead of a user. Adits, devices,
-- licensed mines and divisions (grid, village, township) get ResponsiblePersonId; divisions also the level's leader
-- (LeaderPersonId, told on escalation). Every user named today (an adit's ResponsibleUserId, a device's OwnerUserId)
-- gets a person record linked by UserId (an existing one is reused), and the new column points at it. The old user
-- columns stay, readable, and are kept in step by the adit form.

ALTER TABLE "Adits" ADD "ResponsiblePersonId" uuid;

ALTER TABLE "Devices" ADD "ResponsiblePersonId" uuid;

ALTER TABLE "LicensedMines" ADD "ResponsiblePersonId" uuid;

ALTER TABLE "Divisions" ADD "ResponsiblePersonId" uuid;

ALTER TABLE "Divisions" ADD "LeaderPersonId" uuid;

CREATE INDEX "IX_Adits_ResponsiblePersonId" ON "Adits" ("ResponsiblePersonId");

CREATE INDEX "IX_Devices_ResponsiblePersonId" ON "Devices" ("ResponsiblePersonId");

CREATE INDEX "IX_Divisions_LeaderPersonId" ON "Divisions" ("LeaderPersonId");

CREATE INDEX "IX_Divisions_ResponsiblePersonId" ON "Divisions" ("ResponsiblePersonId");

CREATE INDEX "IX_LicensedMines_ResponsiblePersonId" ON "LicensedMines" ("ResponsiblePersonId");

ALTER TABLE "Adits" ADD CONSTRAINT "FK_Adits_Persons_ResponsiblePersonId" FOREIGN KEY ("ResponsiblePersonId") REFERENCES "Persons" ("Id") ON DELETE RESTRICT;

ALTER TABLE "Devices" ADD CONSTRAINT "FK_Devices_Persons_ResponsiblePersonId" FOREIGN KEY ("ResponsiblePersonId") REFERENCES "Persons" ("Id") ON DELETE RESTRICT;

ALTER TABLE "LicensedMines" ADD CONSTRAINT "FK_LicensedMines_Persons_ResponsiblePersonId" FOREIGN KEY ("ResponsiblePersonId") REFERENCES "Persons" ("Id") ON DELETE RESTRICT;

ALTER TABLE "Divisions" ADD CONSTRAINT "FK_Divisions_Persons_ResponsiblePersonId" FOREIGN KEY ("ResponsiblePersonId") REFERENCES "Persons" ("Id") ON DELETE RESTRICT;

ALTER TABLE "Divisions" ADD CONSTRAINT "FK_Divisions_Persons_LeaderPersonId" FOREIGN KEY ("LeaderPersonId") REFERENCES "Persons" ("Id") ON DELETE RESTRICT;

INSERT INTO "Persons" ("Id", "DivisionCode", "Name", "Phone", "Unit", "Post", "Note", "UserId", "MergedIntoId", "CreatedUtc", "UpdatedUtc", "IsDemo")
SELECT gen_random_uuid(), u."DivisionCode", coalesce(nullif(u."DisplayName", ''), u."UserName", ''), coalesce(u."PhoneNumber", ''), NULL, NULL,
       '由用户账号迁移', u."Id", NULL, now(), now(), u."IsDemo"
FROM "AspNetUsers" u
WHERE (u."Id" IN (SELECT "ResponsibleUserId" FROM "Adits") OR u."Id" IN (SELECT "OwnerUserId" FROM "Devices"))
  AND NOT EXISTS (SELECT 1 FROM "Persons" p WHERE p."UserId" = u."Id");

UPDATE "Adits" a SET "ResponsiblePersonId" = (
    SELECT p."Id" FROM "Persons" p WHERE p."UserId" = a."ResponsibleUserId" ORDER BY p."MergedIntoId" IS NOT NULL, p."CreatedUtc" LIMIT 1)
WHERE a."ResponsibleUserId" IS NOT NULL;

UPDATE "Devices" d SET "ResponsiblePersonId" = (
    SELECT p."Id" FROM "Persons" p WHERE p."UserId" = d."OwnerUserId" ORDER BY p."MergedIntoId" IS NOT NULL, p."CreatedUtc" LIMIT 1)
WHERE d."OwnerUserId" IS NOT NULL;
