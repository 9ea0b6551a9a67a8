// Private to the process module: one Subsystem per sar output file.
#pragma once

#include <vector>

#include "pc/procfs/diskstats.hpp"
#include "pc/procfs/loadavg.hpp"
#include "pc/procfs/meminfo.hpp"
#include "pc/procfs/net_dev.hpp"
#include "pc/procfs/stat.hpp"
#include "pc/procfs/statfs.hpp"
#include "pc/procfs/vmstat.hpp"
#include "subsystem.hpp"

namespace pc::process {

// proc/stat: CPU -1 (aggregate) then 0..N-1. Also gives the boot time (reboot detection).
class StatSubsystem : public Subsystem {
public:
    explicit StatSubsystem(Context& ctx);
    procfs::ParseStatus parse(std::string_view text) override;
    const procfs::StatSample& current() const { return cur_; }

protected:
    void on_accepted(const RecordInfo& record) override;
    void write_rows(const RecordInfo& record, std::string& out) override;
    void keep_current() override { std::swap(base_, cur_); }

private:
    procfs::StatSample base_, cur_;
};

// proc/meminfo: one row from the current sample.
class MeminfoSubsystem : public Subsystem {
public:
    explicit MeminfoSubsystem(Context& ctx);
    procfs::ParseStatus parse(std::string_view text) override;
    const procfs::MemInfo& current() const { return cur_; }

protected:
    void write_rows(const RecordInfo& record, std::string& out) override;
    void keep_current() override {}

private:
    procfs::MemInfo cur_;
};

// proc/net/dev: one row per interface.
class NetDevSubsystem : public Subsystem {
public:
    explicit NetDevSubsystem(Context& ctx);
    procfs::ParseStatus parse(std::string_view text) override;
    const std::vector<procfs::NetDevice>& current() const { return cur_; }

protected:
    void write_rows(const RecordInfo& record, std::string& out) override;
    void keep_current() override { std::swap(base_, cur_); }

private:
    void write_row(std::string& out, std::int64_t ts, const procfs::NetDevice& b,
                   const procfs::NetDevice& c, double itv);
    std::vector<procfs::NetDevice> base_, cur_;
};

// proc/diskstats: one row per used block device.
class DiskstatsSubsystem : public Subsystem {
public:
    explicit DiskstatsSubsystem(Context& ctx);
    procfs::ParseStatus parse(std::string_view text) override;
    const std::vector<procfs::DiskDevice>& current() const { return cur_; }

protected:
    void write_rows(const RecordInfo& record, std::string& out) override;
    void keep_current() override { std::swap(base_, cur_); }

private:
    void write_row(std::string& out, std::int64_t ts, const std::string& name,
                   const procfs::DiskDevice& b, const procfs::DiskDevice& c, double itv);
    std::vector<procfs::DiskDevice> base_, cur_;
};

// statfs_ALL: one row per mount from the current sample.
class StatfsSubsystem : public Subsystem {
public:
    explicit StatfsSubsystem(Context& ctx);
    procfs::ParseStatus parse(std::string_view text) override;

protected:
    void write_rows(const RecordInfo& record, std::string& out) override;
    void keep_current() override {}

private:
    std::vector<procfs::FsStat> cur_;
};

// proc/vmstat: sar -B paging rates.
class VmstatSubsystem : public Subsystem {
public:
    explicit VmstatSubsystem(Context& ctx);
    procfs::ParseStatus parse(std::string_view text) override;

protected:
    void write_rows(const RecordInfo& record, std::string& out) override;
    void keep_current() override { std::swap(base_, cur_); }

private:
    procfs::VmStat base_, cur_;
};

// proc/loadavg: sar -q queue length and load averages from the current sample.
class LoadavgSubsystem : public Subsystem {
public:
    explicit LoadavgSubsystem(Context& ctx);
    procfs::ParseStatus parse(std::string_view text) override;

protected:
    void write_rows(const RecordInfo& record, std::string& out) override;
    void keep_current() override {}

private:
    procfs::LoadAvg cur_;
};

}  // namespace pc::process
