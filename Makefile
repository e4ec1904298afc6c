# Portico developer entry points. `make test` is the README's test command; .ci/run calls it.
MVN ?= ./mvnw -B -ntp
SHELL := /bin/bash

.PHONY: help build test unit e2e crds golden fmt control-plane run translate clean

help: ## List targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

build: ## Compile and package every module, no tests
	$(MVN) install -DskipTests

test: ## Every test: unit, golden, ArchUnit, CRD staleness and e2e on a real control plane
	$(MVN) install

unit: ## Unit and golden tests only (no Kubernetes control plane)
	$(MVN) install -Punit

e2e: ## e2e tests only; with KUBECONFIG set they run against that cluster instead
	$(MVN) install -DskipTests
	$(MVN) -pl e2e surefire:test

crds: ## Regenerate crds/ from the api classes
	$(MVN) -pl api install -Dcrds.update=true

golden: ## Regenerate compiler golden files (review the diff!)
	$(MVN) -pl api,compiler install -Dgolden.update=true

fmt: ## Format Java sources
	$(MVN) spotless:apply

control-plane: ## Build (or reuse) kube-apiserver, kube-controller-manager, etcd and kubectl
	e2e/control-plane/build.sh

translate: build ## Compile examples/ offline and print the snapshots and verdicts
	java -jar compiler/target/portico-compiler.jar translate examples/

run: translate ## Run Portico standalone on the bundled examples

clean:
	$(MVN) clean
