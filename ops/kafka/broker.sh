#!/usr/bin/env bash
# A real single-node Kafka 4.1.1 broker (KRaft, combined broker + controller) on 127.0.0.1, from Maven
# Central jars only (no download from anywhere else, no Docker). Its data, configuration, pid and log
# live in DATA_DIR.
#
#   ops/kafka/broker.sh start  DATA_DIR [PORT]   formats DATA_DIR on first use, starts the broker in
#                                                the background, returns when PORT answers
#   ops/kafka/broker.sh stop   DATA_DIR          SIGTERM, then SIGKILL after 20 s
#   ops/kafka/broker.sh kill   DATA_DIR          SIGKILL at once (for outage tests)
#   ops/kafka/broker.sh status DATA_DIR          exit 0 and print the pid when it runs, else exit 3
#
# PORT (default 9092) is the client listener; the controller listens on PORT+1. The classpath comes
# from ops/kafka/pom.xml (kafka_2.13, kafka-tools for the console clients), resolved with Maven and
# cached in DATA_DIR/classpath.txt. KAFKA_HEAP_OPTS sets the broker's heap (default -Xmx512m).
#
# A broker only authenticated clients can use: with KAFKA_SSL_KEYSTORE set at start, the client
# listener is SASL_SSL, SCRAM-SHA-512 over TLS (the controller listener stays plaintext on loopback):
#   KAFKA_SSL_KEYSTORE    PKCS12 keystore with the broker's key and certificate (for 127.0.0.1)
#   KAFKA_SSL_TRUSTSTORE  PKCS12 truststore with the certificate that signed it
#   KAFKA_SSL_PASSWORD    the password of both stores
#   KAFKA_SCRAM_USERS     "name:password ..." SCRAM-SHA-512 credentials, added when DATA_DIR is
#                         formatted (so give them on the first start); the broker itself signs in to
#                         its own listener as the first of them
# Clients then need security.protocol=SASL_SSL, sasl.mechanism=SCRAM-SHA-512, a sasl.jaas.config with
# ScramLoginModule, and the truststore (README.md, "Kafka over TLS with SASL/SCRAM").
set -euo pipefail
umask 077 # the broker's configuration may hold passwords

here="$(cd "$(dirname "$(readlink -f "$0")")" && pwd)"
usage() { echo "usage: $0 start|stop|kill|status DATA_DIR [PORT]" >&2; exit 2; }
[ $# -ge 2 ] || usage
command="$1"
mkdir -p "$2"
data="$(cd "$2" && pwd)"
port="${3:-9092}"
controller_port=$((port + 1))
pid_file="$data/broker.pid"
log_file="$data/broker.log"

running_pid() {
  [ -f "$pid_file" ] || return 1
  local pid
  pid="$(cat "$pid_file")"
  kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

port_answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

classpath() {
  local cp="$data/classpath.txt"
  if [ ! -s "$cp" ] || [ "$here/pom.xml" -nt "$cp" ]; then
    mvn -B -q -ntp -Dstyle.color=never -f "$here/pom.xml" dependency:build-classpath \
      -Dmdep.outputFile="$cp" >&2
  fi
  cat "$cp"
}

secure() { [ -n "${KAFKA_SSL_KEYSTORE:-}" ]; }

# The client listener: PLAINTEXT, or SASL_SSL with SCRAM-SHA-512 and the stores given (see above).
listener_config() {
  if ! secure; then
    cat <<PROPS
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
PROPS
    return
  fi
  : "${KAFKA_SSL_TRUSTSTORE:?KAFKA_SSL_TRUSTSTORE is needed with KAFKA_SSL_KEYSTORE}"
  : "${KAFKA_SSL_PASSWORD:?KAFKA_SSL_PASSWORD is needed with KAFKA_SSL_KEYSTORE}"
  : "${KAFKA_SCRAM_USERS:?KAFKA_SCRAM_USERS is needed with KAFKA_SSL_KEYSTORE}"
  local first="${KAFKA_SCRAM_USERS%% *}"
  cat <<PROPS
listeners=SASL_SSL://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=SASL_SSL://127.0.0.1:$port
inter.broker.listener.name=SASL_SSL
listener.security.protocol.map=SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${first%%:*}" password="${first#*:}";
ssl.keystore.type=PKCS12
ssl.keystore.location=$KAFKA_SSL_KEYSTORE
ssl.keystore.password=$KAFKA_SSL_PASSWORD
ssl.key.password=$KAFKA_SSL_PASSWORD
ssl.truststore.type=PKCS12
ssl.truststore.location=$KAFKA_SSL_TRUSTSTORE
ssl.truststore.password=$KAFKA_SSL_PASSWORD
PROPS
}

write_config() {
  cat > "$data/server.properties" <<PROPS
# Written by ops/kafka/broker.sh: one node that is both broker and KRaft controller, loopback only.
process.roles=broker,controller
node.id=1
$(listener_config)
controller.listener.names=CONTROLLER
controller.quorum.bootstrap.servers=127.0.0.1:$controller_port
log.dirs=$data/kraft-logs
num.partitions=3
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
PROPS
  cat > "$data/log4j2.properties" <<'PROPS'
status = warn
appender.out.type = Console
appender.out.name = out
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.out.ref = out
logger.kafka.name = kafka
logger.kafka.level = WARN
logger.apache.name = org.apache.kafka
logger.apache.level = WARN
PROPS
}

start() {
  if pid="$(running_pid)"; then
    echo "kafka broker already running (pid $pid) in $data" >&2
    return 0
  fi
  if port_answers "$port"; then
    echo "port $port on 127.0.0.1 is taken by another process" >&2
    exit 1
  fi
  local cp java_opts
  cp="$(classpath)"
  java_opts=(${KAFKA_HEAP_OPTS:--Xmx512m} -XX:+UseG1GC -Djava.awt.headless=true
             -Dlog4j2.configurationFile="$data/log4j2.properties")
  write_config
  if [ ! -f "$data/kraft-logs/meta.properties" ]; then
    local cluster_id
    cluster_id="$(java -cp "$cp" "${java_opts[@]}" kafka.tools.StorageTool random-uuid)"
    local scram=()
    if secure; then
      local user
      for user in $KAFKA_SCRAM_USERS; do
        scram+=(--add-scram "SCRAM-SHA-512=[name=${user%%:*},password=${user#*:}]")
      done
    fi
    java -cp "$cp" "${java_opts[@]}" kafka.tools.StorageTool format --standalone \
      -t "$cluster_id" -c "$data/server.properties" "${scram[@]}" >>"$log_file" 2>&1
  fi
  nohup java -cp "$cp" "${java_opts[@]}" kafka.Kafka "$data/server.properties" >>"$log_file" 2>&1 &
  echo $! > "$pid_file"
  local waited=0
  until port_answers "$port"; do
    if ! running_pid >/dev/null; then
      echo "kafka broker exited while starting; see $log_file:" >&2
      tail -20 "$log_file" >&2
      exit 1
    fi
    if [ $waited -ge 120 ]; then
      echo "kafka broker did not open port $port within 60 s; see $log_file" >&2
      exit 1
    fi
    sleep 0.5
    waited=$((waited + 1))
  done
  echo "kafka broker running (pid $(cat "$pid_file")) on 127.0.0.1:$port, data in $data" >&2
}

stop() {
  local signal="$1" pid
  if ! pid="$(running_pid)"; then
    rm -f "$pid_file"
    return 0
  fi
  kill "-$signal" "$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$pid_file"; return 0; }
    sleep 0.5
  done
  kill -KILL "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  rm -f "$pid_file"
}

case "$command" in
  start) start ;;
  stop) stop TERM ;;
  kill) stop KILL ;;
  status)
    if pid="$(running_pid)"; then echo "$pid"; else exit 3; fi ;;
  *) usage ;;
esac
