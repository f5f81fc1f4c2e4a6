-- 0019 (issue 12): the old follow-up items (跟进事项) are retired; confirmed alerts and patrol findings open assignments
-- (督办事项). 0018 copied every item into Assignments with the same id, so the links on alerts and check-ins keep their
-- values under their new name.
ALTER TABLE "Alerts" RENAME COLUMN "FollowUpId" TO "AssignmentId";

ALTER TABLE "CheckIns" RENAME COLUMN "FollowUpId" TO "AssignmentId";

-- Copied items still open go on the one clock like every assignment (0018 gave them no deadline). One without a due
-- date gets the desk's default, 7 days from the day it was made in China.
UPDATE "Assignments" SET "DueOn" = (("CreatedUtc" AT TIME ZONE 'UTC') + interval '8 hours')::date + 7
WHERE "Status" = 0 AND "DueOn" IS NULL AND "Id" IN (SELECT "Id" FROM "FollowUps");

-- Due when the day has passed in China (the next day's 00:00 +08:00), at the person level, keyed by the assignment's id.
INSERT INTO "Deadlines" ("Id", "SubjectType", "SubjectId", "DivisionCode", "DepartmentCode", "DueUtc", "EscalateAtUtc", "Level", "Escalations", "CreatedUtc", "ClosedUtc")
SELECT a."Id", 'assignment', a."Id", a."DivisionCode", a."DepartmentCode",
       ((a."DueOn" + 1)::timestamp - interval '8 hours') AT TIME ZONE 'UTC',
       ((a."DueOn" + 1)::timestamp - interval '8 hours') AT TIME ZONE 'UTC', 0, 0, a."CreatedUtc", NULL
FROM "Assignments" a
WHERE a."Status" = 0 AND a."Id" IN (SELECT "Id" FROM "FollowUps")
  AND NOT EXISTS (SELECT 1 FROM "Deadlines" d WHERE d."SubjectType" = 'assignment' AND d."SubjectId" = a."Id" AND d."ClosedUtc" IS NULL);

DROP TABLE "FollowUps";
