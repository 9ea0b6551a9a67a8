// Builds seed corpora for the fuzz targets from collection files (ours under testdata/, the
// shared golden ones when present). Seeds are generated at fuzz time, never committed.
//   pc_fuzz_seeds <corpus-root> <collection>...
// writes <corpus-root>/<target>/<n> files: record_decode (lines), go_json (string bodies),
// trickle_request (bodies), trickle_gzip (gzip bodies), collection_reader (file heads, plain
// and gzip), io_frame (runs of frames) and procfs_<file> (raw measurement text, the /proc
// parser inputs).
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "pc/api/trickle.hpp"
#include "pc/core/file_util.hpp"
#include "pc/io/frame.hpp"
#include "pc/record/codec.hpp"
#include "pc/record/go_json.hpp"

namespace fs = std::filesystem;

namespace {

// Enough variety for coverage without slowing each fuzz run's corpus load.
constexpr std::size_t kPerSubsystem = 3;
constexpr std::size_t kHeadBytes = 16 * 1024;

std::string gzip(const std::string& data) {
    z_stream zs{};
    deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    std::string out(deflateBound(&zs, data.size()) + 32, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    zs.avail_in = static_cast<uInt>(data.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    deflate(&zs, Z_FINISH);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    return out;
}

class Corpus {
public:
    explicit Corpus(fs::path root) : root_(std::move(root)) {}
    void add(const std::string& target, const std::string& data) {
        auto dir = root_ / target;
        fs::create_directories(dir);
        auto& n = counts_[target];
        std::ofstream(dir / ("seed-" + std::to_string(n++)), std::ios::binary) << data;
    }
    const std::map<std::string, std::size_t>& counts() const { return counts_; }

private:
    fs::path root_;
    std::map<std::string, std::size_t> counts_;
};

std::string sanitize(std::string_view name) {
    std::string out;
    for (char c : name) {
        bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (alnum) {
            out += c;
        } else if (!out.empty() && out.back() != '_') {
            out += '_';
        }
    }
    while (!out.empty() && out.back() == '_') out.pop_back();
    return out.empty() ? std::string("unknown") : out;
}

// The fuzz target whose parser reads this subsystem's measurements: "/proc/net/dev" ->
// "procfs_net_dev", "statfs[*]" -> "procfs_statfs"; others (container metrics) keep a
// "measurement_" corpus of their own.
std::string target_for_subsystem(std::string_view subsystem) {
    if (subsystem.substr(0, 6) == "/proc/") return "procfs_" + sanitize(subsystem.substr(6));
    if (subsystem == "statfs[*]") return "procfs_statfs";
    return "measurement_" + sanitize(subsystem);
}

void seed_from_collection(Corpus& corpus, const fs::path& path) {
    std::string text = pc::core::read_whole_file(path);
    std::map<std::string, std::size_t> per_subsystem;
    std::vector<pc::record::Record> kept;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t nl = text.find('\n', pos);
        if (nl == std::string::npos) nl = text.size();
        std::string_view line(text.data() + pos, nl - pos);
        pos = nl + 1;
        auto decoded = pc::record::decode_record(line);
        if (!decoded.record) continue;
        auto& n = per_subsystem[decoded.record->subsystem];
        if (n >= kPerSubsystem) continue;
        ++n;
        corpus.add("record_decode", std::string(line));
        corpus.add(target_for_subsystem(decoded.record->subsystem), decoded.record->measurement);
        // A string body with escapes in it (the part between the quotes).
        std::string quoted;
        pc::record::append_go_json_string(quoted, decoded.record->measurement.substr(0, 512));
        corpus.add("go_json", quoted.substr(1, quoted.size() - 2));
        kept.push_back(std::move(*decoded.record));
    }
    // Trickle bodies: one record, a whole tick's worth, with and without a batch_id.
    for (std::size_t count : {std::size_t{1}, std::size_t{5}}) {
        if (kept.size() < count) continue;
        pc::api::TrickleRequest req{"fuzz-seed-host", {kept.begin(), kept.begin() + count}, {}};
        std::string plain = pc::api::encode_trickle_request(req);
        corpus.add("trickle_request", plain);
        corpus.add("trickle_gzip", gzip(plain));
        req.batch_id = "batch-" + std::to_string(count);
        corpus.add("trickle_request", pc::api::encode_trickle_request(req));
    }
    // Runs of frames (spool entries, commit log, index), whole and cut mid-frame.
    std::string frames;
    for (const auto& r : kept) {
        if (frames.size() > kHeadBytes) break;
        pc::io::append_frame(frames, pc::record::encode_record(r));
    }
    corpus.add("io_frame", frames);
    corpus.add("io_frame", frames.substr(0, frames.size() - frames.size() / 3));
    // File heads end mid-line, like a collection cut by a crash.
    std::string head = text.substr(0, kHeadBytes);
    corpus.add("collection_reader", head);
    corpus.add("collection_reader", gzip(head));
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: pc_fuzz_seeds <corpus-root> <collection>...\n";
        return 2;
    }
    Corpus corpus{fs::path(argv[1])};
    for (int i = 2; i < argc; ++i) {
        try {
            seed_from_collection(corpus, argv[i]);
        } catch (const std::exception& e) {
            std::cerr << "pc_fuzz_seeds: skipping " << argv[i] << ": " << e.what() << "\n";
        }
    }
    for (const auto& [target, n] : corpus.counts()) {
        std::cout << "pc_fuzz_seeds: " << n << " seeds for " << target << "\n";
    }
    return 0;
}
