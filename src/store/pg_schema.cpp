#include "pc/store/pg_schema.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <string>

#include "pc/core/error.hpp"

namespace pc::store {

namespace {

// Any fixed number: the lock that serialises migrations of every replica on one database.
constexpr const char* kMigrationLock = "7233517401";

// Migration n is kMigrations[n - 1]. Never edit one that has shipped: add the next.
constexpr std::array<const char*, 2> kMigrations = {
    // 1: batches, one row each (the collection lines exactly as the file store writes them),
    // and the per-machine summary kept in the same transaction as each batch.
    R"sql(
CREATE TABLE machines (
    identifier text COLLATE "C" PRIMARY KEY,
    records bigint NOT NULL DEFAULT 0,
    bytes bigint NOT NULL DEFAULT 0,
    first_timestamp bigint NOT NULL DEFAULT 0,
    last_timestamp bigint NOT NULL DEFAULT 0,
    last_seen bigint NOT NULL DEFAULT 0
);
CREATE TABLE batches (
    machine text COLLATE "C" NOT NULL REFERENCES machines (identifier) ON DELETE CASCADE,
    seq bigint GENERATED ALWAYS AS IDENTITY,
    batch_id text,
    first_timestamp bigint NOT NULL,
    last_timestamp bigint NOT NULL,
    min_timestamp bigint NOT NULL,
    max_timestamp bigint NOT NULL,
    records integer NOT NULL,
    bytes integer NOT NULL,
    received bigint NOT NULL,
    lines bytea NOT NULL,
    PRIMARY KEY (machine, seq),
    UNIQUE (machine, batch_id)
);
CREATE INDEX batches_by_max_timestamp ON batches (machine, max_timestamp);
ALTER TABLE batches ALTER COLUMN lines SET STORAGE EXTERNAL;

-- One round trip per batch. Locks the machine's row first: one machine's batches are numbered
-- (seq) in the order they commit, on every replica. New machines are counted under an
-- advisory lock so that replicas together keep the machine limit. Answers stored, stored_new
-- (the first batch of a new machine), duplicate or too_many_machines.
CREATE FUNCTION pc_append(p_machine text, p_batch_id text, p_first bigint, p_last bigint,
                          p_min bigint, p_max bigint, p_records integer, p_bytes integer,
                          p_lines bytea, p_max_machines bigint, p_now bigint)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    is_new boolean := false;
BEGIN
    PERFORM 1 FROM machines WHERE identifier = p_machine FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM pg_advisory_xact_lock(7233517402);
        PERFORM 1 FROM machines WHERE identifier = p_machine FOR UPDATE;
        IF NOT FOUND THEN
            IF (SELECT count(*) FROM machines) >= p_max_machines THEN
                RETURN 'too_many_machines';
            END IF;
            INSERT INTO machines (identifier) VALUES (p_machine);
            is_new := true;
        END IF;
    END IF;
    INSERT INTO batches (machine, batch_id, first_timestamp, last_timestamp, min_timestamp,
                         max_timestamp, records, bytes, received, lines)
    VALUES (p_machine, p_batch_id, p_first, p_last, p_min, p_max, p_records, p_bytes, p_now,
            p_lines)
    ON CONFLICT (machine, batch_id) DO NOTHING;
    IF NOT FOUND THEN
        RETURN 'duplicate';
    END IF;
    UPDATE machines SET
        first_timestamp = CASE WHEN records = 0 AND bytes = 0 THEN p_first
                               ELSE first_timestamp END,
        last_timestamp = CASE WHEN p_records > 0 THEN p_last ELSE last_timestamp END,
        records = records + p_records,
        bytes = bytes + p_bytes,
        last_seen = p_now
    WHERE identifier = p_machine;
    RETURN CASE WHEN is_new THEN 'stored_new' ELSE 'stored' END;
END
$$;

-- Removes the leading batches whose records are all older than p_before, as the file store's
-- trim: returns the batches, records and bytes removed (NULLs for an unknown machine).
CREATE FUNCTION pc_trim(p_machine text, p_before bigint,
                        OUT removed_batches bigint, OUT removed_records bigint,
                        OUT removed_bytes bigint)
LANGUAGE plpgsql AS $$
DECLARE
    cut bigint;
BEGIN
    PERFORM 1 FROM machines WHERE identifier = p_machine FOR UPDATE;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    SELECT b.seq INTO cut FROM batches b
     WHERE b.machine = p_machine AND b.last_timestamp >= p_before ORDER BY b.seq LIMIT 1;
    WITH gone AS (
        DELETE FROM batches b
         WHERE b.machine = p_machine AND (cut IS NULL OR b.seq < cut)
        RETURNING b.records, b.bytes)
    SELECT count(*), coalesce(sum(g.records), 0), coalesce(sum(g.bytes), 0)
      INTO removed_batches, removed_records, removed_bytes FROM gone g;
    IF removed_batches > 0 THEN
        UPDATE machines m SET
            records = m.records - removed_records,
            bytes = m.bytes - removed_bytes,
            first_timestamp = coalesce((SELECT b.first_timestamp FROM batches b
                                         WHERE b.machine = p_machine ORDER BY b.seq LIMIT 1), 0),
            last_timestamp = CASE WHEN cut IS NULL THEN 0 ELSE m.last_timestamp END
         WHERE m.identifier = p_machine;
    END IF;
END
$$;
)sql",
    // 2: API and admin keys shared by every replica (pcctl apikey --store): only the SHA-256 of
    // each key, in the form and with the identifier patterns of a key file line.
    R"sql(
CREATE TABLE access_keys (
    kind text NOT NULL CHECK (kind IN ('api', 'admin')),
    digest text COLLATE "C" NOT NULL CHECK (digest ~ '^[0-9a-f]{64}$'),
    identifiers text NOT NULL DEFAULT '',  -- patterns separated by spaces; empty: any
    created bigint NOT NULL,
    PRIMARY KEY (kind, digest)
);
)sql",
};

}  // namespace

int latest_schema_version() {
    return static_cast<int>(kMigrations.size());
}

int migrate_schema(PgConnection& conn) {
    int found = -1;
    for (;;) {
        conn.exec("BEGIN");
        try {
            conn.exec(std::string("SELECT pg_advisory_xact_lock(") + kMigrationLock + ")");
            conn.exec(
                "CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, "
                "applied_at timestamptz NOT NULL DEFAULT now())");
            const int version = static_cast<int>(
                conn.exec("SELECT coalesce(max(version), 0) FROM schema_version").int64(0, 0));
            if (found < 0) found = version;
            if (version > latest_schema_version()) {
                throw core::UserError("the database's store schema is version " +
                                      std::to_string(version) +
                                      ", newer than this pcd understands (" +
                                      std::to_string(latest_schema_version()) + "): upgrade pcd");
            }
            if (version == latest_schema_version()) {
                conn.exec("COMMIT");
                return found;
            }
            const int next = version + 1;
            conn.exec(kMigrations[static_cast<std::size_t>(version)]);
            conn.exec("INSERT INTO schema_version (version) VALUES (" + std::to_string(next) + ")");
            conn.exec("COMMIT");
            spdlog::info("store: database schema migrated to version {}", next);
        } catch (...) {
            try {
                conn.exec("ROLLBACK");
            } catch (const PgError&) {
                // The connection is gone: the server rolls back by itself.
            }
            throw;
        }
    }
}

}  // namespace pc::store
