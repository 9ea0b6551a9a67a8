#include "pc/store/commit_log.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <map>
#include <system_error>
#include <vector>

#include "pc/io/frame.hpp"
#include "pc/record/identifier.hpp"
#include "pc/store/batch_index.hpp"
#include "pc/store/file_system.hpp"
#include "pc/store/machine_log.hpp"

namespace pc::store {

namespace {

constexpr std::uint32_t kLegacyMagic = 0x4c574350;  // "PCWL" read as little-endian
constexpr std::size_t kLegacyHeader = 48;
// The payload of an entry's frame: seq, data_offset, index_offset (u64), id, data and index
// lengths (u32), then those bytes.
constexpr std::size_t kEntryFixed = 36;

void put(std::string& out, std::uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

std::uint64_t get(std::string_view in, std::size_t at, int bytes) {
    std::uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) {
        v |= static_cast<std::uint64_t>(
                 static_cast<unsigned char>(in[at + static_cast<std::size_t>(i)]))
             << (8 * i);
    }
    return v;
}

// File::write_at leaves the path out of its error (a collection's reaches the agents); the
// commit log's errors only reach the log, so they name the file.
void write_naming(File& file, std::string_view data, std::uint64_t offset) {
    try {
        file.write_at(data, offset);
    } catch (const std::system_error& ex) {
        throw std::system_error(ex.code(), "write " + file.path().string());
    }
}

using ApplyEntry = std::function<void(std::uint64_t seq, const CommitEntry&)>;

// Entries of the format before the shared frames (older pcd versions wrote them): a log
// left by a crash of such a pcd is replayed after the upgrade.
CommitLogScan for_each_legacy_entry(std::string_view file, const ApplyEntry& apply) {
    CommitLogScan scan;
    scan.legacy = true;
    std::size_t pos = 0;
    std::uint64_t last_seq = 0;
    while (file.size() - pos >= kLegacyHeader) {
        if (get(file, pos, 4) != kLegacyMagic) break;
        const std::uint64_t length = get(file, pos + 4, 4);
        if (length < kLegacyHeader || length > file.size() - pos) break;
        std::string_view entry_bytes = file.substr(pos, static_cast<std::size_t>(length));
        if (io::crc32_of(entry_bytes.substr(12)) != get(entry_bytes, 8, 4)) break;
        const std::uint64_t seq = get(entry_bytes, 12, 8);
        if (scan.entries > 0 && seq <= last_seq) break;
        const std::uint64_t id_len = get(entry_bytes, 36, 4);
        const std::uint64_t data_len = get(entry_bytes, 40, 4);
        const std::uint64_t index_len = get(entry_bytes, 44, 4);
        if (kLegacyHeader + id_len + data_len + index_len != length) break;
        CommitEntry e;
        e.data_offset = get(entry_bytes, 20, 8);
        e.index_offset = get(entry_bytes, 28, 8);
        e.identifier = entry_bytes.substr(kLegacyHeader, id_len);
        e.data = entry_bytes.substr(kLegacyHeader + id_len, data_len);
        e.index = entry_bytes.substr(kLegacyHeader + id_len + data_len, index_len);
        apply(seq, e);
        last_seq = seq;
        ++scan.entries;
        pos += static_cast<std::size_t>(length);
    }
    scan.valid_bytes = pos;
    if (pos < file.size()) {
        // This format cannot tell a torn tail from damage.
        scan.end = io::FrameEnd::corrupt;
        scan.problem = "an entry that does not check out at byte " + std::to_string(pos);
    }
    return scan;
}

}  // namespace

std::filesystem::path commit_log_path(const std::filesystem::path& datadir, int which) {
    return datadir / ".commit" / ("commit-" + std::to_string(which) + ".log");
}

void append_commit_entry(std::string& out, std::uint64_t seq, const CommitEntry& entry) {
    std::string payload;
    payload.reserve(kEntryFixed + entry.identifier.size() + entry.data.size() + entry.index.size());
    put(payload, seq, 8);
    put(payload, entry.data_offset, 8);
    put(payload, entry.index_offset, 8);
    put(payload, entry.identifier.size(), 4);
    put(payload, entry.data.size(), 4);
    put(payload, entry.index.size(), 4);
    payload += entry.identifier;
    payload += entry.data;
    payload += entry.index;
    io::append_frame(out, payload);
}

CommitLogScan for_each_commit_entry(std::string_view file, const ApplyEntry& apply) {
    if (file.size() >= 4 && get(file, 0, 4) == kLegacyMagic) {
        return for_each_legacy_entry(file, apply);
    }
    CommitLogScan scan;
    std::uint64_t last_seq = 0;
    const io::FrameScan frames =
        io::scan_frames(file, [&](std::string_view payload, std::size_t offset) {
            if (payload.size() < kEntryFixed) {
                scan.problem = "an entry too short to be one at byte " + std::to_string(offset);
                return false;
            }
            const std::uint64_t seq = get(payload, 0, 8);
            // An entry older than the one before it was left by a failed write whose cut
            // failed. A gap is normal: a failed write consumed its seq numbers and was cut back.
            if (scan.entries > 0 && seq <= last_seq) {
                scan.problem = "an entry older than the one before it at byte " +
                               std::to_string(offset) + " (left by a failed write)";
                return false;
            }
            const std::uint64_t id_len = get(payload, 24, 4);
            const std::uint64_t data_len = get(payload, 28, 4);
            const std::uint64_t index_len = get(payload, 32, 4);
            if (kEntryFixed + id_len + data_len + index_len != payload.size()) {
                scan.problem =
                    "an entry whose parts do not add up at byte " + std::to_string(offset);
                return false;
            }
            CommitEntry e;
            e.data_offset = get(payload, 8, 8);
            e.index_offset = get(payload, 16, 8);
            e.identifier = payload.substr(kEntryFixed, id_len);
            e.data = payload.substr(kEntryFixed + id_len, data_len);
            e.index = payload.substr(kEntryFixed + id_len + data_len, index_len);
            apply(seq, e);
            last_seq = seq;
            ++scan.entries;
            return true;
        });
    scan.valid_bytes = frames.valid_bytes;
    scan.end = frames.end;
    if (frames.end != io::FrameEnd::stopped) scan.problem = frames.problem;
    return scan;
}

std::size_t replay_commit_log(const std::filesystem::path& datadir) {
    return replay_commit_log(datadir, *default_file_system());
}

std::size_t replay_commit_log(const std::filesystem::path& datadir, FileSystem& fs) {
    struct LogFile {
        std::string bytes;
        std::uint64_t first_seq = 0;
    };
    std::vector<LogFile> files;
    for (int which = 0; which < 2; ++which) {
        auto path = commit_log_path(datadir, which);
        if (!fs.exists(path)) continue;
        LogFile f{fs.read_file(path), 0};
        const CommitLogScan scan =
            for_each_commit_entry(f.bytes, [&](std::uint64_t seq, const CommitEntry&) {
                if (f.first_seq == 0) f.first_seq = seq;
            });
        if (scan.end == io::FrameEnd::torn_tail) {
            // The group being written when pcd stopped: its sync never returned, so none of it
            // was acknowledged.
            spdlog::info(
                "store: commit log {}: dropped the last {} bytes, an entry pcd was writing when "
                "it stopped (never acknowledged)",
                path.string(), f.bytes.size() - scan.valid_bytes);
        } else if (scan.valid_bytes < f.bytes.size()) {
            auto dir = datadir / ".damaged";
            fs.create_directories(dir);
            auto aside =
                dir / (path.filename().string() + "." +
                       std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count()));
            fs.write_file_atomic(aside, f.bytes, 0640);
            spdlog::warn(
                "store: commit log {}: {} of its {} bytes follow its last valid entry and cannot "
                "be replayed ({}); the file was copied to {}",
                path.string(), f.bytes.size() - scan.valid_bytes, f.bytes.size(), scan.problem,
                aside.string());
        }
        if (f.first_seq != 0) files.push_back(std::move(f));
    }
    // The file whose entries are older was being checkpointed: it goes first.
    std::sort(files.begin(), files.end(),
              [](const LogFile& a, const LogFile& b) { return a.first_seq < b.first_seq; });

    std::map<std::string, std::unique_ptr<File>> open_files;
    auto file_for = [&](const std::filesystem::path& path) -> File& {
        auto& slot = open_files[path.string()];
        if (!slot) slot = fs.open(path, OpenMode::create);
        return *slot;
    };
    std::size_t replayed = 0;
    for (const auto& f : files) {
        for_each_commit_entry(f.bytes, [&](std::uint64_t, const CommitEntry& e) {
            if (!record::valid_identifier(e.identifier)) {
                spdlog::warn("store: commit log entry for an invalid identifier skipped");
                return;
            }
            // The index file first, as MachineLog creates them: a collection without an index
            // is then never one that pcd wrote.
            auto index = index_path(datadir, e.identifier);
            write_naming(file_for(index), e.index, e.index_offset);
            auto data = collection_path(datadir, e.identifier);
            write_naming(file_for(data), e.data, e.data_offset);
            ++replayed;
        });
    }
    for (const auto& [path, file] : open_files) file->sync_data();
    if (!open_files.empty()) {
        fs.sync_directory(datadir / ".index");
        fs.sync_directory(datadir);
    }
    for (int which = 0; which < 2; ++which) {
        auto path = commit_log_path(datadir, which);
        if (!fs.exists(path)) continue;
        auto file = fs.open(path, OpenMode::create);
        file->truncate(0);
        file->sync_data();
    }
    if (replayed > 0) {
        spdlog::info("store: wrote {} batch(es) from the commit log into their collections",
                     replayed);
    }
    return replayed;
}

CommitLog::CommitLog(const std::filesystem::path& datadir, FileSystem& fs) {
    bool created = false;
    for (int which = 0; which < 2; ++which) {
        paths_[which] = commit_log_path(datadir, which);
        created = created || !fs.exists(paths_[which]);
        files_[which] = fs.open(paths_[which], OpenMode::create);
        if (files_[which]->size() != 0) {
            throw std::runtime_error("commit log " + paths_[which].string() +
                                     " is not empty (replay it first)");
        }
    }
    if (created) fs.sync_directory(paths_[0].parent_path());
}

CommitLog::~CommitLog() = default;

void CommitLog::write_and_sync(std::string_view entries) {
    const std::uint64_t start = size_[active_];
    try {
        write_naming(*files_[active_], entries, start);
        files_[active_]->sync_data();
    } catch (...) {
        // The seq numbers of the entries are never used again, so whatever of them stays in the
        // file cannot be taken for a later entry; cutting it is only tidiness.
        try {
            files_[active_]->truncate(start);
        } catch (const std::system_error& ex) {
            spdlog::error("store: could not cut a failed commit log write: {}",
                          ex.code().message());
        }
        throw;
    }
    size_[active_] = start + entries.size();
}

int CommitLog::switch_files() {
    const int previous = active_;
    active_ = 1 - active_;
    return previous;
}

void CommitLog::empty_file(int which) {
    files_[which]->truncate(0);
    files_[which]->sync_data();
    size_[which] = 0;
}

}  // namespace pc::store
