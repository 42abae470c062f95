// The documented backup and restore procedure (deploy/backup/), run for real: acknowledged changes of
// beds and dispatch, a backup taken while Relais runs, a restore into an empty folder on another
// port, and every key found again, equal; Relais then works on the restored data. A tampered backup is
// refused (control).
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tests/support/beds_fixture.h"

namespace relais::testing {
namespace {

using namespace relais::v1;

std::string TempDir(const char* prefix) {
  std::string tmpl = std::string("/tmp/") + prefix + "-XXXXXX";
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("cannot make a temporary folder");
  return tmpl;
}

int Shell(const std::string& command) { return std::system((command + " >/dev/null 2>&1").c_str()); }

// A Redis started by restore.sh (daemonized): stopped by its pid file.
struct RestoredRedis {
  std::string root;  // a temporary folder; the data folder is root/data
  int port = 0;
  std::string dir() const { return root + "/data"; }
  ~RestoredRedis() {
    std::ifstream pid_file(dir() + "/redis.pid");
    pid_t pid = 0;
    if (pid_file >> pid && pid > 0) kill(pid, SIGKILL);
    std::error_code ignored;
    std::filesystem::remove_all(root, ignored);
  }
};

class BackupRestoreTest : public BedsTest {};

TEST_F(BackupRestoreTest, EveryAcknowledgedChangeIsFoundInTheRestoredCopy) {
  CreateShelter(MakeShelter("shelter-a"));
  CreateShelter(MakeShelter("shelter-b", "schaerbeek"));
  Declare("shelter-a", "single_men", 10, 2, 3);
  Declare("shelter-b", "families", 5, 0, 0);
  auto held = Hold("shelter-a:single_men");
  Hold("shelter-b:families");
  ConfirmArrivalRequest arrive;
  arrive.set_hold_id(held.hold().id());
  arrive.set_idempotency_key(Key());
  ConfirmArrivalResponse arrived;
  ASSERT_TRUE(beds().ConfirmArrival(Harness::As(ShelterAccount("shelter-a")).get(), arrive, &arrived).ok());
  OpenCallRequest call;
  call.set_caller_kind(CALLER_KIND_POLICE);
  call.set_language("nl");
  call.set_idempotency_key(Key());
  OpenCallResponse opened;
  ASSERT_TRUE(h().dispatch().OpenCall(Harness::As(Operator()).get(), call, &opened).ok());

  const auto before = Snapshot();
  const std::string backups = TempDir("relais-backups");
  ASSERT_EQ(Shell(std::string(RELAIS_SOURCE_DIR "/deploy/backup/backup.sh 127.0.0.1 ") +
                std::to_string(SharedRedis().port()) + " " + backups),
            0);
  std::string backup;
  for (const auto& entry : std::filesystem::directory_iterator(backups)) {
    if (entry.path().extension() == ".rdb") backup = entry.path();
  }
  ASSERT_FALSE(backup.empty());

  {  // control: a backup whose bytes changed is refused, and nothing is started
    std::string tampered_dir = TempDir("relais-tampered");
    std::filesystem::copy_file(backup, tampered_dir + "/x.rdb");
    std::ofstream(tampered_dir + "/x.rdb", std::ios::binary | std::ios::in | std::ios::out).seekp(20).put('\x7f');
    std::string checksum;  // the original's checksum, naming the copy
    std::ifstream(backup + ".sha256") >> checksum;
    std::ofstream(tampered_dir + "/x.rdb.sha256") << checksum << "  x.rdb\n";
    RestoredRedis refused{TempDir("relais-refused"), FreePort()};
    EXPECT_NE(Shell(std::string(RELAIS_SOURCE_DIR "/deploy/backup/restore.sh ") + tampered_dir + "/x.rdb " +
                  refused.dir() + " " + std::to_string(refused.port)),
              0);
    EXPECT_FALSE(std::filesystem::exists(refused.dir() + "/dump.rdb"));
    std::filesystem::remove_all(tampered_dir);
  }

  RestoredRedis restored{TempDir("relais-restored"), FreePort()};
  ASSERT_EQ(Shell(std::string(RELAIS_SOURCE_DIR "/deploy/backup/restore.sh ") + backup + " " + restored.dir() + " " +
                    std::to_string(restored.port)),
            0);
  RedisOptions options;
  options.port = restored.port;
  options.pool_size = 16;
  RedisPool copy(options);
  EXPECT_EQ(SnapshotOf(copy), before);  // every key, with its content
  auto aof = copy.Command({"CONFIG", "GET", "appendonly"});
  ASSERT_TRUE(aof.ok());
  EXPECT_EQ(ReplyStr((*aof)->element[1]), "yes");

  // Relais works on the restored copy: same figures, and the next hold takes the next place.
  Harness on_copy(options);
  GetAvailabilityRequest read;
  read.mutable_filter()->set_shelter_id("shelter-a");
  GetAvailabilityResponse availability;
  ASSERT_TRUE(on_copy.stub().GetAvailability(Harness::As(Operator()).get(), read, &availability).ok());
  ASSERT_EQ(availability.pools_size(), 1);
  EXPECT_EQ(availability.pools(0).figures().occupied(), 4);
  EXPECT_EQ(availability.pools(0).free(), 6);  // 10 in service - 4 occupied (buffer closed)
  std::filesystem::remove_all(backups);
}

}  // namespace
}  // namespace relais::testing
