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

crds: ## Regenerate crds/ from the api classes (and the Helm chart's copies)
	$(MVN) -pl api install -Dcrds.update=true
	cp crds/*.portico.dev.yaml charts/portico/crds/

golden: ## Regenerate compiler golden files (review the diff!)
	$(MVN) -pl api,compiler install -Dgolden.update=true

fmt: ## Format Java sources
	$(MVN) spotless:apply

control-plane: ## Build (or reuse) kube-apiserver, kube-controller-manager, etcd and kubectl
	e2e/control-plane/build.sh

translate: build ## Compile examples/ offline and print the snapshots and verdicts
	java -jar compiler/target/portico-compiler.jar translate examples/

DATAPLANE_JAR := dataplane/target/portico-dataplane.jar

run: ## Build, start the demo backends and the gateway on examples/quickstart; Ctrl-C stops all
	$(MVN) -q install -DskipTests -pl api,compiler,dataplane -am
	@trap 'kill -TERM $$gw $$demo 2>/dev/null; wait $$gw $$demo 2>/dev/null; exit 0' INT TERM EXIT; \
	java -jar $(DATAPLANE_JAR) demo --serve catalog:9001 --serve reviews:9002 & demo=$$!; \
	java -jar $(DATAPLANE_JAR) standalone --config examples/quickstart --admin-port 9901 & gw=$$!; \
	for i in $$(seq 1 100); do curl -sf -o /dev/null localhost:9901/readyz && break; sleep 0.2; done; \
	echo; \
	echo "Portico is serving examples/quickstart on http://localhost:8080 (admin: http://localhost:9901)"; \
	echo "Try:"; \
	echo "  curl -i localhost:8080/catalog/products     # proxied to the catalog backend, X-Served-By added"; \
	echo "  curl -i localhost:8080/reviews/1            # prefix rewritten to /v1/reviews/1"; \
	echo "  curl -i localhost:8080/status               # direct response from the gateway"; \
	echo "  curl -i localhost:8080/shop/x               # 301 redirect to /catalog/x"; \
	echo "  curl -i localhost:8080/nothing-here         # 404 application/problem+json"; \
	echo "  curl -ik https://localhost:8443/status      # HTTPS (h2 by ALPN), demo self-signed certificate"; \
	echo "  curl -s localhost:9901/metrics | grep portico"; \
	echo "Edit examples/quickstart/*.yaml to reload live. Ctrl-C stops everything."; \
	wait $$gw

clean:
	$(MVN) clean
