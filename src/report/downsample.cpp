#include "pc/report/downsample.hpp"

#include <cmath>
#include <limits>
#include <map>
#include <vector>

#include "pc/report/minmax_buckets.hpp"

namespace pc::report {

namespace {

constexpr double kNone = std::numeric_limits<double>::quiet_NaN();

class Writer {
public:
    Writer(std::int64_t step, DisplayRows& out) : out_(out), step_(step) {}

    // A row without values first when `ts` comes after a gap.
    void break_gap(std::int64_t ts) {
        if (has_last_ && ts - last_ > 2 * step_) {
            out_.times.push_back(last_ + step_);
            out_.cells.insert(out_.cells.end(), out_.series, kNone);
        }
    }

    void copy_row(const TimeTable& table, std::size_t row) {
        const std::int64_t ts = table.times()[row];
        break_gap(ts);
        out_.times.push_back(ts);
        for (std::size_t s = 0; s < out_.series; ++s) out_.cells.push_back(table.values(s)[row]);
        remember(ts);
    }

    // Rows [first, end) as two rows: each series' minimum and maximum, in time order.
    void min_max_rows(const TimeTable& table, std::size_t first, std::size_t end) {
        const auto& times = table.times();
        std::vector<MinMax>& cells = scratch(out_.series);
        for (std::size_t s = 0; s < out_.series; ++s) {
            const auto& v = table.values(s);
            for (std::size_t r = first; r < end; ++r) {
                cells[s].add(v[r], static_cast<std::uint32_t>(r - first));
            }
        }
        bucket_rows({times[first], times[end - 1], end - first}, cells);
    }

    // One bucket (several merged) as display rows: a bucket of one row as that row, a longer
    // one as two rows with each series' minimum and maximum in the order they happened.
    void bucket_rows(const Bucket& b, const std::vector<MinMax>& cells) {
        break_gap(b.first);
        if (b.rows == 1) {
            out_.times.push_back(b.first);
            for (std::size_t s = 0; s < out_.series; ++s) out_.cells.push_back(cells[s].lo);
            remember(b.first);
            return;
        }
        const std::size_t row1 = out_.times.size();
        out_.times.push_back(b.first);
        out_.times.push_back(b.last);
        out_.cells.resize(out_.cells.size() + 2 * out_.series, kNone);
        for (std::size_t s = 0; s < out_.series; ++s) {
            const MinMax& m = cells[s];
            if (m.empty()) continue;
            const bool min_first = m.lo_at <= m.hi_at;
            out_.cells[row1 * out_.series + s] = min_first ? m.lo : m.hi;
            out_.cells[(row1 + 1) * out_.series + s] = min_first ? m.hi : m.lo;
        }
        remember(b.last);
    }

    std::vector<MinMax>& scratch(std::size_t series) {
        scratch_.assign(series, MinMax{});
        return scratch_;
    }

private:
    void remember(std::int64_t ts) {
        last_ = ts;
        has_last_ = true;
    }

    DisplayRows& out_;
    std::int64_t step_;
    std::int64_t last_ = 0;
    bool has_last_ = false;
    std::vector<MinMax> scratch_;
};

// The time span cut into `columns` equal columns: the column of time `ts`.
class Columns {
public:
    Columns(std::int64_t first, std::int64_t last, std::size_t columns)
        : first_(static_cast<double>(first)),
          span_(static_cast<double>(last - first) + 1),
          columns_(static_cast<double>(columns)) {}
    std::size_t of(std::int64_t ts) const {
        return static_cast<std::size_t>((static_cast<double>(ts) - first_) / span_ * columns_);
    }

private:
    double first_, span_, columns_;
};

// A table past its full-resolution rows: its buckets merged into the columns (by the time of
// each bucket's first row).
void bucket_columns(const TimeTable& table, std::size_t columns, Writer& writer) {
    const MinMaxBuckets b = table.buckets();
    if (b.size() == 0) return;
    const Columns column(b.bucket(0).first, b.bucket(b.size() - 1).last, columns);
    std::size_t i = 0;
    while (i < b.size()) {
        const std::size_t c = column.of(b.bucket(i).first);
        Bucket merged = b.bucket(i);
        std::vector<MinMax>& cells = writer.scratch(b.series());
        for (std::size_t s = 0; s < b.series(); ++s) cells[s] = b.cell(i, s);
        std::size_t j = i + 1;
        for (; j < b.size() && column.of(b.bucket(j).first) == c; ++j) {
            merged.last = b.bucket(j).last;
            merged.rows += b.bucket(j).rows;
            for (std::size_t s = 0; s < b.series(); ++s) cells[s].merge(b.cell(j, s));
        }
        writer.bucket_rows(merged, cells);
        i = j;
    }
}

}  // namespace

std::int64_t usual_step(const std::vector<std::int64_t>& times) {
    std::map<std::int64_t, std::size_t> counts;
    for (std::size_t i = 1; i < times.size(); ++i) {
        const std::int64_t d = times[i] - times[i - 1];
        if (d > 0) ++counts[d];
    }
    return most_common_step(counts);
}

DisplayRows downsample(const TimeTable& table, std::size_t max_points) {
    DisplayRows out;
    out.series = table.columns();
    const std::size_t n = table.rows();
    if (n == 0 || out.series == 0) return out;
    if (max_points < 4) max_points = 4;
    Writer writer(table.usual_step(), out);
    if (!table.full_resolution()) {
        bucket_columns(table, max_points / 2, writer);
        return out;
    }
    if (n <= max_points) {
        for (std::size_t r = 0; r < n; ++r) writer.copy_row(table, r);
        return out;
    }
    const auto& times = table.times();
    const Columns column(times.front(), times.back(), max_points / 2);
    std::size_t i = 0;
    while (i < n) {
        const std::size_t b = column.of(times[i]);
        std::size_t j = i + 1;
        while (j < n && column.of(times[j]) == b) ++j;
        if (j - i == 1) {
            writer.copy_row(table, i);
        } else {
            writer.min_max_rows(table, i, j);
        }
        i = j;
    }
    return out;
}

}  // namespace pc::report
