-- 0003: the map's index on Adits becomes covering (status and seal state after the tile and the scope), so the
-- clustering query is answered from the index alone. It replaces the narrower index with the same leading columns.
-- Generated with 'mineguard schema script --new'; the DROP of the index it replaces is written by hand.

DROP INDEX "IX_Adits_MapX_MapY_DivisionCode";

CREATE INDEX "IX_Adits_MapX_MapY_DivisionCode_Status_State_CurrentSealMethod" ON "Adits" ("MapX", "MapY", "DivisionCode", "Status", "State", "CurrentSealMethod");
