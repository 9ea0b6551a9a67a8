// Min/max buckets of a long time table: what the display downsampling (min and max per pixel
// column) needs, kept while the rows are read instead of every row. Buckets cover a fixed number
// of seconds (a power of two) from the first row; when a row falls past the last allowed
// bucket, the width doubles and neighbouring buckets merge pairwise. Minimum and maximum merge
// exactly, so the display rows made from buckets have the same values (and spikes) as those made
// from every row; only the column edges can move by a bucket.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace pc::report {

// One series' extremes in a bucket and the rows (ordinals in the table) where they happened.
struct MinMax {
    double lo = std::numeric_limits<double>::quiet_NaN();  // NaN: no value in the bucket
    double hi = std::numeric_limits<double>::quiet_NaN();
    std::uint32_t lo_at = 0;
    std::uint32_t hi_at = 0;

    bool empty() const { return std::isnan(lo); }
    void add(double v, std::uint32_t row);
    // `later` covers rows after this one's; on ties the earlier row is kept.
    void merge(const MinMax& later);
};

struct Bucket {
    std::int64_t first = 0;  // time of its first row
    std::int64_t last = 0;   // time of its last row
    std::size_t rows = 0;
};

class MinMaxBuckets {
public:
    // `max_keys` buckets at most; the first width is the smallest power of two that fits
    // [origin, until] in them.
    MinMaxBuckets(std::size_t series, std::size_t max_keys, std::int64_t origin,
                  std::int64_t until);

    // A row's values, one per series (NaN: none), in time order.
    void add_row(std::int64_t ts, std::uint32_t row, const double* values);
    // A series added to the table later: no value in any bucket so far.
    void add_series();

    std::size_t size() const { return buckets_.size(); }
    std::size_t series() const { return series_; }
    const Bucket& bucket(std::size_t i) const { return buckets_[i]; }
    const MinMax& cell(std::size_t i, std::size_t s) const { return cells_[i * series_ + s]; }
    std::int64_t width() const { return width_; }

private:
    void double_width();

    std::size_t series_;
    std::size_t max_keys_;
    std::int64_t origin_;
    std::int64_t width_ = 1;
    std::vector<std::int64_t> keys_;  // (time - origin) / width of each bucket
    std::vector<Bucket> buckets_;
    std::vector<MinMax> cells_;  // bucket-major, series_ per bucket
};

}  // namespace pc::report
