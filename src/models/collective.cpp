// XGBoost's communicator through its C API (XGCommunicator*, XGBoost 1.7).
//
// Facts from XGBoost 1.7 this relies on (checked with 2 workers on this
// machine, see tests/distributed_test.cpp):
// * The Rabit communicator is configured by a JSON object whose keys are the
//   DMLC_* variable names plus rabit_* settings; the tracker assigns ranks
//   (in task-id order when it sorts by task, as scripts/xgboost_tracker.py does).
// * A peer that dies closes its sockets: the next allreduce on every other
//   worker fails at once ("Allreduce failed"). A peer that stalls is only
//   noticed with rabit_timeout=true, after rabit_timeout_sec ("Poll timeout");
//   without it the others would wait for ever.
// * Allreduce data types and operations are XGBoost's collective::DataType
//   (kUInt64 = 5, kDouble = 7) and collective::Operation (kSum = 2), which
//   its Python and JVM bindings also hard-code.
#include "genrelab/collective.h"

#include <linux/tcp.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <xgboost/c_api.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <filesystem>
#include <string_view>

#include "genrelab/error.h"

namespace genrelab {
namespace {

constexpr int kUInt64 = 5;
constexpr int kDouble = 7;
constexpr int kSum = 2;

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

int parse_int(const std::string& text, const char* what, int low, int high) {
  char* end = nullptr;
  const long v = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || !end || *end != '\0' || v < low || v > high)
    throw UsageError(fmt::format("{} is '{}': expected a whole number from {} to {}", what, text, low, high));
  return static_cast<int>(v);
}

}  // namespace

std::string xgboost_error_summary(const char* text) {
  std::string s = text ? text : "";
  const auto nl = s.find('\n');
  if (nl != std::string::npos) s.resize(nl);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.pop_back();
  return s;
}

CollectiveOptions collective_options_from_environment(CollectiveOptions o) {
  if (o.tracker_uri.empty()) o.tracker_uri = env("DMLC_TRACKER_URI");
  if (o.tracker_port == 0 && !env("DMLC_TRACKER_PORT").empty())
    o.tracker_port = parse_int(env("DMLC_TRACKER_PORT"), "DMLC_TRACKER_PORT", 1, 65535);
  if (o.task_id.empty()) o.task_id = env("DMLC_TASK_ID");
  if (o.world_size == 0 && !env("DMLC_NUM_WORKER").empty())
    o.world_size = parse_int(env("DMLC_NUM_WORKER"), "DMLC_NUM_WORKER", 1, 1000000);
  const char* how =
      "start the workers with `genrelab launch --workers N -- train ...`, or give the tracker's address as a "
      "launcher does (scripts/xgboost_tracker.py prints it)";
  if (o.tracker_uri.empty())
    throw UsageError(fmt::format("--distributed: no tracker address (--tracker-uri or DMLC_TRACKER_URI); {}", how));
  if (o.tracker_port == 0)
    throw UsageError(fmt::format("--distributed: no tracker port (--tracker-port or DMLC_TRACKER_PORT); {}", how));
  if (o.world_size == 0)
    throw UsageError(fmt::format("--distributed: no worker count (--world-size or DMLC_NUM_WORKER); {}", how));
  if (o.task_id.empty())
    throw UsageError(fmt::format("--distributed: no task id (--rank or DMLC_TASK_ID), which orders the workers; {}", how));
  if (o.timeout_seconds < 1) throw UsageError("--timeout must be at least 1 second");
  return o;
}

Collective::Collective(const CollectiveOptions& o) {
  if (active()) throw std::logic_error("a Collective is already active in this process");
  const nlohmann::json config = {
      {"xgboost_communicator", "rabit"},
      {"DMLC_TRACKER_URI", o.tracker_uri},
      {"DMLC_TRACKER_PORT", o.tracker_port},
      {"DMLC_TASK_ID", o.task_id},
      {"DMLC_NUM_WORKER", o.world_size},
      {"rabit_world_size", o.world_size},
      {"rabit_timeout", "true"},
      {"rabit_timeout_sec", std::to_string(o.timeout_seconds)},
  };
  if (XGCommunicatorInit(config.dump().c_str()) != 0)
    throw InputError(fmt::format("cannot join the XGBoost tracker at {}:{} as task {}: {}. Is the tracker running "
                                 "and reachable from this machine?",
                                 o.tracker_uri, o.tracker_port, o.task_id, xgboost_error_summary(XGBGetLastError())));
  rank_ = XGCommunicatorGetRank();
  world_size_ = XGCommunicatorGetWorldSize();
  if (world_size_ != o.world_size) {
    XGCommunicatorFinalize();
    throw InputError(fmt::format("the XGBoost tracker at {}:{} runs {} workers, but this worker was told {}; start "
                                 "every worker with the same --world-size (DMLC_NUM_WORKER)",
                                 o.tracker_uri, o.tracker_port, world_size_, o.world_size));
  }
}

Collective::~Collective() { XGCommunicatorFinalize(); }

bool Collective::active() { return XGCommunicatorIsDistributed() != 0; }

void Collective::sum(std::vector<std::uint64_t>& values) const {
  if (values.empty()) return;
  if (XGCommunicatorAllreduce(values.data(), values.size(), kUInt64, kSum) != 0)
    throw InputError(fmt::format("distributed training: lost another worker ({}); see the other workers' output",
                                 xgboost_error_summary(XGBGetLastError())));
}

void Collective::sum(std::vector<double>& values) const {
  if (values.empty()) return;
  if (XGCommunicatorAllreduce(values.data(), values.size(), kDouble, kSum) != 0)
    throw InputError(fmt::format("distributed training: lost another worker ({}); see the other workers' output",
                                 xgboost_error_summary(XGBGetLastError())));
}

std::uint64_t tcp_bytes_sent() {
  std::uint64_t total = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", ec)) {
    std::error_code link_ec;
    const std::string target = std::filesystem::read_symlink(entry.path(), link_ec).string();
    if (link_ec || target.rfind("socket:", 0) != 0) continue;
    const int fd = std::atoi(entry.path().filename().c_str());
    tcp_info info{};
    socklen_t len = sizeof info;
    // Not a TCP socket (or an older kernel's shorter struct): skipped.
    if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &len) != 0 ||
        len < offsetof(tcp_info, tcpi_bytes_sent) + sizeof info.tcpi_bytes_sent)
      continue;
    total += info.tcpi_bytes_sent;
  }
  return total;
}

std::vector<std::uint64_t> Collective::gather(const std::vector<std::uint64_t>& mine) const {
  // A sum of blocks that are zero everywhere but at the owner's rank: each
  // value is its owner's, exactly.
  std::vector<std::uint64_t> all(mine.size() * static_cast<std::size_t>(world_size_), 0);
  std::copy(mine.begin(), mine.end(), all.begin() + static_cast<std::ptrdiff_t>(mine.size() * static_cast<std::size_t>(rank_)));
  sum(all);
  return all;
}

}  // namespace genrelab
