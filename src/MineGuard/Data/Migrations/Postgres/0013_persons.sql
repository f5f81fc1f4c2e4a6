-- 责任人: people who answer for a place, with or without a log-in (issue 12).
CREATE TABLE "Persons" (
    "Id" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "Name" character varying(50) NOT NULL,
    "Phone" character varying(20) NOT NULL,
    "Unit" character varying(100),
    "Post" character varying(50),
    "Note" character varying(500),
    "UserId" uuid,
    "MergedIntoId" uuid,
    "CreatedUtc" timestamp with time zone NOT NULL,
    "UpdatedUtc" timestamp with time zone NOT NULL,
    "IsDemo" boolean NOT NULL,
    CONSTRAINT "PK_Persons" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_Persons_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Persons_Persons_MergedIntoId" FOREIGN KEY ("MergedIntoId") REFERENCES "Persons" ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_Persons_DivisionCode_Name" ON "Persons" ("DivisionCode", "Name");

CREATE INDEX "IX_Persons_MergedIntoId" ON "Persons" ("MergedIntoId");

CREATE INDEX "IX_Persons_Phone" ON "Persons" ("Phone");

CREATE INDEX "IX_Persons_UserId" ON "Persons" ("UserId");

