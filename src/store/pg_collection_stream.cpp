#include "pc/store/pg_collection_stream.hpp"

#include "pc/store/collection_filter.hpp"

namespace pc::store {

namespace {

// Batches per query: a trickle batch is a few kilobytes; an upload's can be megabytes.
constexpr const char* kBatchesPerQuery = "32";

}  // namespace

PgCollectionStream::PgCollectionStream(PgPool& pool, std::string identifier, TimeRange range,
                                       std::int64_t last_seq)
    : pool_(pool), identifier_(std::move(identifier)), range_(range), last_seq_(last_seq) {}

bool PgCollectionStream::next(std::string& out) {
    out.clear();
    if (after_seq_ >= last_seq_) return false;
    const std::string after = std::to_string(after_seq_);
    const std::string last = std::to_string(last_seq_);
    const std::string since = range_.since ? std::to_string(*range_.since) : std::string();
    const std::string until = range_.until ? std::to_string(*range_.until) : std::string();
    // Batches that cannot hold a record in the range are skipped by the query (min/max of
    // their records' timestamps); the others are filtered line by line.
    std::vector<PgParam> params{{identifier_}, {after}, {last}};
    params.push_back(range_.since ? PgParam{since} : PgParam{});
    params.push_back(range_.until ? PgParam{until} : PgParam{});
    auto conn = pool_.acquire();
    const PgResult result = conn->exec(
        std::string("SELECT seq, lines FROM batches WHERE machine = $1 AND seq > $2 AND seq <= "
                    "$3 AND ($4::bigint IS NULL OR max_timestamp >= $4) AND ($5::bigint IS NULL "
                    "OR min_timestamp <= $5) ORDER BY seq LIMIT ") +
            kBatchesPerQuery,
        params, true);
    const int rows = result.rows();
    if (rows == 0) {
        after_seq_ = last_seq_;
        return false;
    }
    const bool everything = !range_.since && !range_.until;
    for (int row = 0; row < rows; ++row) {
        if (everything) {
            out.append(result.value(row, 1));
        } else {
            append_lines_in_range(result.value(row, 1), range_, out);
        }
    }
    after_seq_ = result.binary_int64(rows - 1, 0);
    return true;
}

}  // namespace pc::store
