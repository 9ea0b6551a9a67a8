// The local-mode sink: appends each tick to the collection file with one write(2).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "pc/record/tick_sink.hpp"

namespace pc::collect {

// write(2) as a replaceable function, so tests can count calls and simulate short writes.
using WriteFunction = std::function<long(int fd, const void* data, std::size_t size)>;
long system_write(int fd, const void* data, std::size_t size);

// Cuts an unterminated last line (a write interrupted by a crash) off the file open as `fd`,
// keeping everything up to the last newline. Returns the number of bytes removed (0 when the
// file is empty or ends in a newline). Throws std::system_error when the file cannot be read
// or truncated.
std::int64_t cut_torn_last_line(int fd);

class CollectionFile : public record::TickSink {
public:
    // Opens (creating with mode 0600) for appending, after cutting off a torn last line left by
    // an interrupted run (logged). A missing parent directory or a file that cannot be opened
    // is a UserError naming `variable`, raised before any sampling starts.
    explicit CollectionFile(std::filesystem::path path,
                            std::string_view variable = "PCC_COLLECTION",
                            WriteFunction write = system_write);
    ~CollectionFile() override;
    CollectionFile(const CollectionFile&) = delete;
    CollectionFile& operator=(const CollectionFile&) = delete;

    // Encodes the whole tick first, then appends it with a single write(2), so readers and
    // crashes never see half a tick in the middle of the file. A short write is completed; if
    // the rest cannot be written (disk full), the partial tick is cut off again and the tick is
    // counted as lost. Write errors are logged, never fatal: the next tick may succeed.
    void write(const record::Tick& tick) override;

    // fsyncs the file. Returns the number of ticks lost to write errors.
    std::size_t finish(std::chrono::milliseconds drain_timeout) override;

    record::SinkReport report() const override;

    std::size_t lost_ticks() const { return lost_; }
    // Bytes in the file now (what this run wrote included).
    std::uint64_t size() const;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
    int fd_ = -1;
    std::size_t lost_ = 0;
    std::uint64_t written_ = 0;
    std::string buffer_;
    WriteFunction write_;
};

}  // namespace pc::collect
