#pragma once
// Redis replies made from fuzz bytes, and written back as bytes for the seed corpus. hiredis hands the
// services trees of redisReply; these are built the same way (malloc'd, freed by freeReplyObject), so
// the code under test cannot tell them from Redis' own.
//
// Encoding, one node after another (prefix order):
//   0 string  <len:u8> <bytes>       3 nil
//   1 integer <8 bytes, little end>  4 status <len:u8> <bytes>
//   2 array   <count:u8> <nodes>     5 error  <len:u8> <bytes>
//   6 string  <len:u16, little end> <bytes> (a stored protobuf message, longer than 255 bytes)
// The type byte is taken modulo 7; input that ends early ends the tree with empty values. Arrays are
// at most 64 elements and 8 levels deep, so an input cannot ask for unbounded memory.
#include <hiredis/hiredis.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "common/redis.h"

namespace relais::fuzz {

class ReplyReader {
 public:
  explicit ReplyReader(std::string_view bytes) : in_(bytes) {}

  ReplyPtr Next() { return ReplyPtr(Node(0)); }
  bool done() const { return pos_ >= in_.size(); }

 private:
  uint8_t Byte() { return pos_ < in_.size() ? static_cast<uint8_t>(in_[pos_++]) : 0; }

  redisReply* Text(int type, bool long_length = false) {
    auto* r = static_cast<redisReply*>(calloc(1, sizeof(redisReply)));
    r->type = type;
    size_t len = Byte();
    if (long_length) len |= size_t{Byte()} << 8;
    len = std::min(len, in_.size() - std::min(pos_, in_.size()));
    r->str = static_cast<char*>(malloc(len + 1));
    if (len) memcpy(r->str, in_.data() + pos_, len);
    r->str[len] = '\0';
    r->len = len;
    pos_ += len;
    return r;
  }

  redisReply* Node(int depth) {
    uint8_t type = Byte() % 7;
    if (type == 2 && depth >= 8) type = 3;
    switch (type) {
      case 0: return Text(REDIS_REPLY_STRING);
      case 1: {
        auto* r = static_cast<redisReply*>(calloc(1, sizeof(redisReply)));
        r->type = REDIS_REPLY_INTEGER;
        uint64_t v = 0;
        for (int i = 0; i < 8; ++i) v |= uint64_t{Byte()} << (8 * i);
        r->integer = static_cast<long long>(v);
        return r;
      }
      case 2: {
        auto* r = static_cast<redisReply*>(calloc(1, sizeof(redisReply)));
        r->type = REDIS_REPLY_ARRAY;
        r->elements = Byte() % 65;
        r->element = r->elements ? static_cast<redisReply**>(calloc(r->elements, sizeof(redisReply*))) : nullptr;
        for (size_t i = 0; i < r->elements; ++i) r->element[i] = Node(depth + 1);
        return r;
      }
      case 4: return Text(REDIS_REPLY_STATUS);
      case 5: return Text(REDIS_REPLY_ERROR);
      case 6: return Text(REDIS_REPLY_STRING, true);
      default: {
        auto* r = static_cast<redisReply*>(calloc(1, sizeof(redisReply)));
        r->type = REDIS_REPLY_NIL;
        return r;
      }
    }
  }

  std::string_view in_;
  size_t pos_ = 0;
};

// Builds the bytes of a tree (seed corpus).
class ReplyWriter {
 public:
  ReplyWriter& Str(std::string_view s) {
    if (s.size() <= 255) return Text(0, s);
    s = s.substr(0, 65535);
    out_ += '\x06';
    out_ += static_cast<char>(s.size() & 0xff);
    out_ += static_cast<char>(s.size() >> 8);
    out_.append(s);
    return *this;
  }
  ReplyWriter& Status(std::string_view s) { return Text(4, s); }
  ReplyWriter& Error(std::string_view s) { return Text(5, s); }
  ReplyWriter& Int(int64_t v) {
    out_ += '\x01';
    for (int i = 0; i < 8; ++i) out_ += static_cast<char>((static_cast<uint64_t>(v) >> (8 * i)) & 0xff);
    return *this;
  }
  ReplyWriter& Nil() {
    out_ += '\x03';
    return *this;
  }
  // An array of `count` elements: the next `count` nodes written.
  ReplyWriter& Array(size_t count) {
    out_ += '\x02';
    out_ += static_cast<char>(count);
    return *this;
  }
  // Strings, as HMGET or HGETALL answer them.
  ReplyWriter& Strs(const std::vector<std::string>& items) {
    Array(items.size());
    for (const auto& s : items) Str(s);
    return *this;
  }
  const std::string& bytes() const { return out_; }

 private:
  ReplyWriter& Text(char type, std::string_view s) {
    s = s.substr(0, 255);
    out_ += type;
    out_ += static_cast<char>(s.size());
    out_.append(s);
    return *this;
  }
  std::string out_;
};

}  // namespace relais::fuzz
