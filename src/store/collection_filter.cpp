#include "pc/store/collection_filter.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <system_error>

#include "pc/record/codec.hpp"

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

CollectionFilter::CollectionFilter(const CollectionSnapshot& snapshot, TimeRange range)
    : length_(snapshot.length), range_(range) {
    fd_ = ::open(snapshot.path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) {
        throw std::system_error(errno, std::generic_category(), "open " + snapshot.path.string());
    }
}

CollectionFilter::~CollectionFilter() {
    if (fd_ >= 0) ::close(fd_);
}

bool CollectionFilter::next(std::string& out) {
    out.clear();
    while (out.empty()) {
        if (offset_ >= length_) return false;
        std::string block(std::min<std::uint64_t>(64 * 1024, length_ - offset_), '\0');
        ssize_t n = ::pread(fd_, block.data(), block.size(), static_cast<off_t>(offset_));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        block.resize(static_cast<std::size_t>(n));
        offset_ += block.size();
        carry_ += block;
        std::size_t pos = 0;
        for (auto nl = carry_.find('\n'); nl != std::string::npos; nl = carry_.find('\n', pos)) {
            std::string_view line(carry_.data() + pos, nl - pos);
            auto t = line_timestamp(line);
            if (t && range_.contains(*t)) out.append(carry_.data() + pos, nl - pos + 1);
            pos = nl + 1;
        }
        carry_.erase(0, pos);
    }
    return true;
}

}  // namespace pc::store
