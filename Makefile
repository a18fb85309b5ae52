# The two set-up commands of README.md:
#   make run   installs what is missing, builds, and serves on 127.0.0.1:8000 with eSpeak NG
#   make test  installs what is missing, builds with ASan+UBSan, and runs every test
BUILD      ?= build
TEST_BUILD ?= build-test
TSAN_BUILD ?= build-tsan
JOBS       ?= 2
ARGS       ?=

.PHONY: run test test-tsan deps deps-run build build-test clean

deps:
	./scripts/install-deps

deps-run:
	./scripts/install-deps --no-tests

build: deps-run
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DRTTS_TESTS=OFF
	cmake --build $(BUILD) -j $(JOBS)

run: build
	./$(BUILD)/rtts serve $(ARGS)

build-test: deps
	cmake -S . -B $(TEST_BUILD) -DCMAKE_BUILD_TYPE=Debug -DRTTS_SANITIZE=ON
	cmake --build $(TEST_BUILD) -j $(JOBS)

test: build-test
	cd $(TEST_BUILD) && ctest --output-on-failure --timeout 600

# The unit and integration tests again under ThreadSanitizer (CI runs it after `make test`).
test-tsan: deps
	cmake -S . -B $(TSAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DRTTS_TSAN=ON
	cmake --build $(TSAN_BUILD) -j $(JOBS) --target unit_tests integration_tests rtts rtts-festival
	cd $(TSAN_BUILD) && ctest --output-on-failure --timeout 1800 -R '^(unit|integration-[0-9]+)$$'

clean:
	rm -rf $(BUILD) $(TEST_BUILD) $(TSAN_BUILD)
