-- 责任人: people who answer for a place, with or without a log-in (issue 12).
CREATE TABLE "Persons" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Persons" PRIMARY KEY,
    "DivisionCode" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Phone" TEXT NOT NULL,
    "Unit" TEXT NULL,
    "Post" TEXT NULL,
    "Note" TEXT NULL,
    "UserId" TEXT NULL,
    "MergedIntoId" TEXT NULL,
    "CreatedUtc" TEXT NOT NULL,
    "UpdatedUtc" TEXT NOT NULL,
    "IsDemo" INTEGER NOT NULL,
    CONSTRAINT "FK_Persons_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Persons_Persons_MergedIntoId" FOREIGN KEY ("MergedIntoId") REFERENCES "Persons" ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_Persons_DivisionCode_Name" ON "Persons" ("DivisionCode", "Name");

CREATE INDEX "IX_Persons_MergedIntoId" ON "Persons" ("MergedIntoId");

CREATE INDEX "IX_Persons_Phone" ON "Persons" ("Phone");

CREATE INDEX "IX_Persons_UserId" ON "Persons" ("UserId");

