-- 0047 (issue 16): the vehicles a key person uses (normalised plates), linked by the vehicle analysis to checkpoint passages.

ALTER TABLE "KeyPersons" ADD "Plates" character varying(200);
