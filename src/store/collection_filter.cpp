#include "pc/store/collection_filter.hpp"

#include <charconv>
#include <system_error>

#include "pc/record/codec.hpp"
#include "pc/store/file_system.hpp"

namespace pc::store {

namespace {

// Every stored line starts {"timestamp":N, (pcd writes them); fall back to a full decode.
std::optional<std::int64_t> line_timestamp(std::string_view line) {
    constexpr std::string_view prefix = "{\"timestamp\":";
    if (line.starts_with(prefix)) {
        std::int64_t t = 0;
        auto begin = line.data() + prefix.size();
        auto [ptr, ec] = std::from_chars(begin, line.data() + line.size(), t);
        if (ec == std::errc() && ptr != begin && ptr < line.data() + line.size() && *ptr == ',') {
            return t;
        }
    }
    auto r = record::decode_record(line);
    if (!r.record) return std::nullopt;
    return r.record->timestamp;
}

}  // namespace

void append_lines_in_range(std::string_view lines, TimeRange range, std::string& out) {
    std::size_t pos = 0;
    for (auto nl = lines.find('\n'); nl != std::string_view::npos; nl = lines.find('\n', pos)) {
        auto t = line_timestamp(lines.substr(pos, nl - pos));
        if (t && range.contains(*t)) out.append(lines.data() + pos, nl - pos + 1);
        pos = nl + 1;
    }
}

CollectionFilter::CollectionFilter(const CollectionSnapshot& snapshot, TimeRange range)
    : CollectionFilter(*default_file_system(), snapshot, range) {}

CollectionFilter::CollectionFilter(FileSystem& fs, const CollectionSnapshot& snapshot,
                                   TimeRange range)
    : file_(fs.open(snapshot.path, OpenMode::read)), length_(snapshot.length), range_(range) {}

CollectionFilter::~CollectionFilter() = default;

bool CollectionFilter::next(std::string& out) {
    out.clear();
    while (out.empty()) {
        if (offset_ >= length_) return false;
        std::string block(std::min<std::uint64_t>(64 * 1024, length_ - offset_), '\0');
        std::size_t n = 0;
        try {
            n = file_->read_at(block.data(), block.size(), offset_);
        } catch (const std::system_error&) {
            return false;  // as at the end: the stream stops (the answer is already under way)
        }
        if (n == 0) return false;
        block.resize(n);
        offset_ += block.size();
        carry_ += block;
        const auto whole = carry_.rfind('\n');
        if (whole == std::string::npos) continue;
        append_lines_in_range(std::string_view(carry_).substr(0, whole + 1), range_, out);
        carry_.erase(0, whole + 1);
    }
    return true;
}

}  // namespace pc::store
