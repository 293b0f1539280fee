// `gugus backup` and `gugus restore` on both backends, through the real binary: what
// an administrator notices — a copy that restores to the same data and an intact
// audit trail, a private file, refusals that change nothing, and a consistent copy
// made while an import is writing.
#include <sys/stat.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/strcat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/test_support.h"

namespace gugus {
namespace {

using testing::BackendKind;
using ::testing::HasSubstr;
using testing::RunGugus;

struct Backend {
  std::string name;
  BackendKind kind;
};

class BackupTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam().kind == BackendKind::kPostgres) GUGUS_REQUIRE_POSTGRES();
    source_.emplace(GetParam().kind, dir_.path());
    target_dir_ = std::make_unique<testing::TempDir>();
    target_.emplace(GetParam().kind, target_dir_->path());
    auto init = On(source_->address(), {"init", "--ref-dir", RefDir()});
    ASSERT_EQ(init.exit_code, 0) << init.err;
    auto demo = On(source_->address(), {"demo", "--persons", "150", "--agencies", "2",
                                        "--seed", "5", "--out", dir_.File("demo")});
    ASSERT_EQ(demo.exit_code, 0) << demo.err;
  }

  static std::string RefDir() {
    return std::string(GUGUS_SOURCE_DIR) + "/node_modules/idn-area-data/data";
  }

  static testing::CommandResult On(const std::string& db, std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db});
    return RunGugus(args);
  }

  // `gugus summary` without its first line (the database's address).
  static std::string Summary(const std::string& db) {
    std::string out = On(db, {"summary"}).out;
    return out.substr(out.find('\n') + 1);
  }

  testing::TempDir dir_;
  std::unique_ptr<testing::TempDir> target_dir_;
  std::optional<testing::TestDatabase> source_, target_;
};

TEST_P(BackupTest, ARestoredBackupHoldsTheSameDataAndAnIntactAuditTrail) {
  const std::string file = dir_.File("cadangan.bak");
  const std::string before = Summary(source_->address());
  auto backup = On(source_->address(), {"backup", "--out", file});
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  EXPECT_THAT(backup.out, HasSubstr("written to " + file));
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);  // it holds every record: the owner's only
  EXPECT_THAT(On(source_->address(), {"audit", "list"}).out,
              HasSubstr("database.backup"));

  // The source changes after the backup; the restore gives what was backed up.
  ASSERT_EQ(On(source_->address(), {"agency", "add", "LSM-BARU", "--name", "LSM Baru",
                                    "--type", "ngo", "--region", "53"})
                .exit_code,
            0);
  auto restore = On(target_->address(), {"restore", file});
  ASSERT_EQ(restore.exit_code, 0) << restore.err;
  EXPECT_EQ(Summary(target_->address()), before);
  EXPECT_THAT(On(target_->address(), {"agency", "list"}).out,
              ::testing::Not(HasSubstr("LSM-BARU")));
  auto verify = On(target_->address(), {"audit", "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
  EXPECT_THAT(verify.out, HasSubstr("intact"));
  EXPECT_THAT(On(target_->address(), {"audit", "list"}).out,
              HasSubstr("database.restore"));
}

TEST_P(BackupTest, RefusalsSayWhyAndChangeNothing) {
  const std::string file = dir_.File("cadangan.bak");
  ASSERT_EQ(On(source_->address(), {"backup", "--out", file}).exit_code, 0);
  const std::string first = testing::ReadFile(file);

  auto again = On(source_->address(), {"backup", "--out", file});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_THAT(again.err, HasSubstr("exists"));
  EXPECT_EQ(testing::ReadFile(file), first);

  ASSERT_EQ(On(target_->address(), {"restore", file}).exit_code, 0);
  const std::string restored = Summary(target_->address());
  auto over = On(target_->address(), {"restore", file});
  EXPECT_EQ(over.exit_code, 1);
  EXPECT_THAT(over.err, HasSubstr("--force"));

  testing::WriteFile(dir_.File("bukan.bak"), "ini bukan cadangan\n");
  auto bad = On(target_->address(), {"restore", dir_.File("bukan.bak"), "--force"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_THAT(bad.err, HasSubstr("bukan.bak is not a"));
  auto missing = On(target_->address(), {"restore", dir_.File("tidak-ada.bak")});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(Summary(target_->address()), restored);

  auto forced = On(target_->address(), {"restore", file, "--force"});
  EXPECT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_EQ(Summary(target_->address()), restored);
}

TEST_P(BackupTest, ABackupTakenDuringAnImportHoldsAllOfItOrNoneOfIt) {
  const std::string before = Summary(source_->address());
  auto gen = RunGugus({"generate", "--agencies", "1", "--persons", "3000", "--seed", "8",
                       "--out", dir_.File("gen")});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  std::string csv;
  for (const auto& e : std::filesystem::directory_iterator(dir_.File("gen")))
    if (e.path().extension() == ".csv" &&
        !std::set<std::string>{"truth.csv", "persons.csv", "agencies.csv"}.count(
            e.path().filename().string()))
      csv = e.path().string();
  ASSERT_FALSE(csv.empty());
  ASSERT_EQ(On(source_->address(), {"agency", "add", "LSM-X", "--name", "LSM X", "--type",
                                    "ngo", "--region", "53"})
                .exit_code,
            0);
  const std::string with_agency = Summary(source_->address());

  testing::CommandResult import;
  std::thread writer([&] {
    import = On(source_->address(), {"import", csv, "--agency", "LSM-X"});
  });
  const std::string file = dir_.File("saat-impor.bak");
  auto backup = On(source_->address(), {"backup", "--out", file});
  writer.join();
  ASSERT_EQ(import.exit_code, 0) << import.err;
  ASSERT_EQ(backup.exit_code, 0) << backup.err;

  ASSERT_EQ(On(target_->address(), {"restore", file}).exit_code, 0);
  const std::string restored = Summary(target_->address());
  EXPECT_TRUE(restored == with_agency || restored == Summary(source_->address()))
      << restored;
  EXPECT_NE(restored, before);
  EXPECT_EQ(On(target_->address(), {"audit", "verify"}).exit_code, 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, BackupTest,
                         ::testing::Values(Backend{"sqlite", BackendKind::kSqlite},
                                           Backend{"postgres", BackendKind::kPostgres}),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace gugus
