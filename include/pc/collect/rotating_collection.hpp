// The local-mode sink with rotation (PCC_ROTATE): the collection file is renamed with its date
// when a new day or hour begins or when it reaches a size, like sysstat's daily files, and a
// fresh file takes the next tick. Every rotated file is a collection on its own: whole ticks,
// and /proc/cpuinfo in its first tick.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "pc/collect/collection_file.hpp"
#include "pc/io/file_system.hpp"
#include "pc/record/tick_sink.hpp"

namespace pc::collect {

enum class RotateEvery { never, day, hour, size };

struct RotateOptions {
    RotateEvery every = RotateEvery::day;
    std::uint64_t max_bytes = 0;  // RotateEvery::size: rotate once the file has reached this
    std::size_t keep = 7;         // rotated files kept, oldest removed first; 0 keeps all
};

// "<dir>/<stem>-<date><ext>" for a file whose first tick is at `first_timestamp` (UTC):
// pcc-2026-12-05.json (day), pcc-2026-12-05T23.json (hour), pcc-2026-12-05T231502.json (size).
std::filesystem::path rotated_name(const std::filesystem::path& collection,
                                   std::int64_t first_timestamp, RotateEvery every);

// The Unix timestamp of a collection file's first record, nullopt when empty or unreadable.
std::optional<std::int64_t> first_timestamp(const std::filesystem::path& collection,
                                            io::FileSystem& file_system);

class RotatingCollection : public record::TickSink {
public:
    // Opens `path` as CollectionFile does (same errors, naming `variable`). A file left by an
    // earlier run is rotated before the first tick that belongs to a later period. Every file
    // open, rename, listing and removal goes through `file_system` (null: the real one).
    RotatingCollection(std::filesystem::path path, RotateOptions options,
                       std::string_view variable = "PCC_COLLECTION",
                       std::shared_ptr<io::FileSystem> file_system = nullptr);

    // Rotates first when the tick belongs to a new period (or the file is full), then appends
    // the tick; the first tick of a fresh file gets /proc/cpuinfo (the last one seen) when it
    // has none. A failed rotation is logged and the tick is appended to the current file.
    void write(const record::Tick& tick) override;
    std::size_t finish(std::chrono::milliseconds drain_timeout) override;
    record::SinkReport report() const override;

    std::size_t rotations() const { return rotations_; }

private:
    bool due(std::int64_t timestamp) const;
    void rotate();
    void prune() const;

    std::filesystem::path path_;
    RotateOptions options_;
    std::string variable_;
    std::shared_ptr<io::FileSystem> file_system_;
    std::unique_ptr<CollectionFile> file_;
    std::optional<std::int64_t> first_;  // timestamp of the current file's first tick
    std::optional<record::Record> cpuinfo_;
    record::SinkReport closed_;  // counts of the files already rotated
    std::size_t rotations_ = 0;
};

}  // namespace pc::collect
