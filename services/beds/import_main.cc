// relais-import: loads a directory file (JSON of relais.v1.DirectoryImport) into a running beds
// service through its gRPC API, so every entry passes the same validation as any other caller.
// Shelters that exist are updated; pool figures are declared as given.
#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "common/config.h"
#include "common/identity.h"
#include "common/random_id.h"
#include "relais/v1/beds.grpc.pb.h"

namespace {

using namespace relais;

std::unique_ptr<grpc::ClientContext> AdminContext() {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  AddCallerMetadata(*ctx, Caller{Role::kAdmin, "import", {}, ""});
  return ctx;
}

}  // namespace

int main(int argc, char** argv) {
  std::string file, target = "127.0.0.1:50051";
  bool only_if_empty = false;
  po::options_description options;
  options.add_options()
      ("file", po::value(&file)->required(), "directory file (JSON of relais.v1.DirectoryImport)")
      ("target", po::value(&target)->default_value(target), "beds gRPC address")
      ("only-if-empty", po::bool_switch(&only_if_empty), "do nothing when the directory already has entries");
  po::positional_options_description positional;
  po::variables_map vm;
  if (auto exit_code = ParseConfig(argc, argv, options, "relais-import --file FILE [--target HOST:PORT]", vm)) {
    return *exit_code;
  }

  std::ifstream in(file);
  if (!in) {
    std::cerr << "relais-import: cannot read " << file << "\n";
    return 1;
  }
  std::stringstream text;
  text << in.rdbuf();
  relais::v1::DirectoryImport directory;
  auto parsed = google::protobuf::util::JsonStringToMessage(text.str(), &directory);
  if (!parsed.ok()) {
    std::cerr << "relais-import: " << file << " is not a valid directory file: " << parsed.message() << "\n";
    return 1;
  }

  auto channel = grpc::CreateChannel(target, grpc::InsecureChannelCredentials());
  if (!channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(10))) {
    std::cerr << "relais-import: no beds service answers at " << target << "\n";
    return 1;
  }
  auto beds = relais::v1::Beds::NewStub(channel);

  if (only_if_empty) {
    relais::v1::SearchSheltersResponse existing;
    auto s = beds->SearchShelters(AdminContext().get(), {}, &existing);
    if (!s.ok()) {
      std::cerr << "relais-import: cannot read the directory: " << s.error_message() << "\n";
      return 1;
    }
    if (existing.shelters_size() > 0) {
      std::cout << "directory already holds " << existing.shelters_size() << " entries; nothing imported\n";
      return 0;
    }
  }

  // A fresh key per run: running the import again re-applies the file.
  std::string run = RandomId("import-");
  int done = 0, total = directory.shelters_size() + directory.pools_size();
  auto progress = [&] {
    if (++done % 10 == 0 || done == total) std::cout << "imported " << done << "/" << total << "\n" << std::flush;
  };
  for (const auto& shelter : directory.shelters()) {
    relais::v1::CreateShelterRequest create;
    *create.mutable_shelter() = shelter;
    create.set_idempotency_key(run + "-s-" + shelter.id());
    relais::v1::CreateShelterResponse created;
    auto s = beds->CreateShelter(AdminContext().get(), create, &created);
    if (s.error_code() == grpc::StatusCode::ALREADY_EXISTS) {
      relais::v1::UpdateShelterRequest update;
      *update.mutable_shelter() = shelter;
      update.set_idempotency_key(run + "-u-" + shelter.id());
      relais::v1::UpdateShelterResponse updated;
      s = beds->UpdateShelter(AdminContext().get(), update, &updated);
    }
    if (!s.ok()) {
      std::cerr << "relais-import: shelter " << shelter.id() << ": " << s.error_message() << "\n";
      return 1;
    }
    progress();
  }
  for (int i = 0; i < directory.pools_size(); ++i) {
    relais::v1::DeclarePoolRequest declare = directory.pools(i);
    declare.set_idempotency_key(run + "-p-" + std::to_string(i));
    relais::v1::DeclarePoolResponse declared;
    auto s = beds->DeclarePool(AdminContext().get(), declare, &declared);
    if (!s.ok()) {
      std::cerr << "relais-import: pool " << declare.shelter_id() << ":" << declare.public_() << ": " << s.error_message()
                << "\n";
      return 1;
    }
    progress();
  }
  std::cout << "imported " << directory.shelters_size() << " shelters and " << directory.pools_size() << " pools\n";
  return 0;
}
