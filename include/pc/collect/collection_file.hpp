// The local-mode sink: appends each tick to the collection file with one write(2). Its file
// calls go through the I/O seam (io::FileSystem), so tests inject disk-full and short writes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "pc/io/file_system.hpp"
#include "pc/record/tick_sink.hpp"

namespace pc::collect {

// Cuts an unterminated last line (a write interrupted by a crash) off `file`, keeping
// everything up to the last newline. Returns the number of bytes removed (0 when the file is
// empty or ends in a newline). Throws std::system_error when the file cannot be read or
// truncated.
std::uint64_t cut_torn_last_line(io::File& file);

class CollectionFile : public record::TickSink {
public:
    // Opens (creating with mode 0600) for appending, after cutting off a torn last line left by
    // an interrupted run (logged). A missing parent directory or a file that cannot be opened
    // is a UserError naming `variable`, raised before any sampling starts.
    explicit CollectionFile(std::filesystem::path path,
                            std::string_view variable = "PCC_COLLECTION",
                            std::shared_ptr<io::FileSystem> file_system = nullptr);
    ~CollectionFile() override;
    CollectionFile(const CollectionFile&) = delete;
    CollectionFile& operator=(const CollectionFile&) = delete;

    // Encodes the whole tick first, then appends it with a single write(2), so readers and
    // crashes never see half a tick in the middle of the file. A short write is completed; if
    // the rest cannot be written (disk full), the partial tick is cut off again and the tick is
    // counted as lost (File::write_at completes short writes). Write errors are logged, never
    // fatal: the next tick may succeed.
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
    std::shared_ptr<io::FileSystem> file_system_;
    std::unique_ptr<io::File> file_;
    std::size_t lost_ = 0;
    std::uint64_t written_ = 0;
    std::string buffer_;
};

}  // namespace pc::collect
