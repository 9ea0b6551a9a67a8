// The PostgreSQL store's schema, created and migrated by pcd at start: numbered migrations,
// each applied in its own transaction together with its row in `schema_version`, under a
// transaction-scoped advisory lock, so that replicas starting at once on one database apply
// each migration once and all come up.
#pragma once

#include "pc/store/pg_connection.hpp"

namespace pc::store {

// The schema version this build creates and understands.
int latest_schema_version();

// Brings the database to latest_schema_version() and returns the version found before.
// Throws PgError (database) or core::UserError (a database newer than this build).
int migrate_schema(PgConnection& conn);

}  // namespace pc::store
