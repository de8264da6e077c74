-- Destination lookup (GET /v1/destinations, issue 16): cities matched by prefix without regard to
-- case or accents ("sao" finds "São Paulo"). unaccent ships with PostgreSQL and is a trusted
-- extension: the database owner may create it.
CREATE EXTENSION IF NOT EXISTS unaccent;
