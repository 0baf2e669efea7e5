# A one-node Slurm cluster on this machine, for tests/scripts/slurm_sweep_test.sh and
# bench/bench_sweep_slurm.sh (sourced, bash). Debian's munge and slurm-wlm (scripts/install-deps.sh)
# run from a scratch directory: its own munge key and socket, a generated slurm.conf on localhost
# with two free ports, state, spool, pid and log files in the directory, SLURM_CONF exported for the
# clients; nothing is written to /etc and no other Slurm or munged on the machine is touched.
#   slurm_cluster_check           "" when the cluster can run here, else why not (one line)
#   slurm_cluster_up DIR          starts munged, slurmctld and slurmd in DIR (the directories above it
#                                 must be searchable by all: munged checks); waits until the node is idle;
#                                 returns 1 with the reason in SLURM_CLUSTER_ERROR when it cannot
#   slurm_cluster_down            cancels every job left, stops the daemons started (by their pids)
# SLURM_CLUSTER_PIDS: the daemons started, in order (munged, slurmctld, slurmd).

SLURM_CLUSTER_PIDS=()
SLURM_CLUSTER_ERROR=

# Seconds since T0 (from `date +%s%N`), one decimal.
slurm_elapsed() { awk -v a="$1" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }'; }

slurm_cluster_check() {
  if [[ $(id -u) -ne 0 ]]; then
    echo "slurmd and munged (as user munge) need root; run as root"
    return
  fi
  local prog
  for prog in /usr/sbin/munged /usr/sbin/mungekey /usr/sbin/slurmctld /usr/sbin/slurmd sbatch squeue sinfo scancel; do
    if ! command -v "$prog" >/dev/null; then
      echo "$prog is missing: scripts/install-deps.sh installs Debian's munge and slurm-wlm"
      return
    fi
  done
  id munge >/dev/null 2>&1 || echo "no user munge (Debian's munge package creates it)"
}

slurm_cluster_up() {
  local dir=$1 m=$1/munge host ctld_port slurmd_port mem_mb state p
  mkdir -p "$m" "$dir/state" "$dir/spool"
  chmod 755 "$dir"  # munged checks that every directory above its socket is searchable by all
  mungekey --create --force --keyfile="$m/munge.key" >/dev/null
  chown -R munge:munge "$m"
  chmod 755 "$m"
  chmod 600 "$m/munge.key"
  if ! runuser -u munge -- /usr/sbin/munged --socket="$m/munge.socket" --key-file="$m/munge.key" \
      --log-file="$m/munged.log" --pid-file="$m/munged.pid" --seed-file="$m/munged.seed"; then
    SLURM_CLUSTER_ERROR="munged does not start: $(tail -n 1 "$m/munged.log" 2>/dev/null)"
    return 1
  fi
  for _ in $(seq 50); do [[ -s $m/munged.pid ]] && break; sleep 0.1; done
  if [[ ! -s $m/munged.pid ]]; then
    SLURM_CLUSTER_ERROR="munged wrote no pid file: $(tail -n 1 "$m/munged.log" 2>/dev/null)"
    return 1
  fi
  SLURM_CLUSTER_PIDS+=("$(cat "$m/munged.pid")")

  host=$(hostname -s)
  read -r ctld_port slurmd_port < <(/usr/bin/python3 -c '
import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])')
  mem_mb=$(awk '/MemTotal/ {print int($2 / 1024 / 2)}' /proc/meminfo)  # half the machine's memory
  : >"$dir/plugstack.conf"
  cat >"$dir/slurm.conf" <<EOF
ClusterName=eligotest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$m/munge.socket
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
PlugStackConfig=$dir/plugstack.conf
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=$mem_mb State=UNKNOWN
PartitionName=eligo Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
  export SLURM_CONF=$dir/slurm.conf
  /usr/sbin/slurmctld -D -i >"$dir/slurmctld.out" 2>&1 &
  SLURM_CLUSTER_PIDS+=("$!")
  /usr/sbin/slurmd -D -N "$host" >"$dir/slurmd.out" 2>&1 &
  SLURM_CLUSTER_PIDS+=("$!")
  state=
  for _ in $(seq 150); do
    state=$(sinfo -h -o %T 2>/dev/null || true)
    [[ $state == idle ]] && return 0
    for p in "${SLURM_CLUSTER_PIDS[@]:1}"; do kill -0 "$p" 2>/dev/null || break 2; done
    sleep 0.1
  done
  SLURM_CLUSTER_ERROR="the one-node Slurm did not come up in 15 s (node state '${state:-none}'): $(
    grep -h -i -m 2 -E 'fatal' "$dir/slurmctld.out" "$dir/slurmd.out" | tr '\n' ' ') (logs: $dir)"
  return 1
}

slurm_cluster_down() {
  local k p
  # slurmctld running: cancel what is left (and so its slurmstepd); the clients wait for a dead
  # controller for a long time, hence the checks and timeouts.
  if [[ ${#SLURM_CLUSTER_PIDS[@]} -gt 1 ]] && kill -0 "${SLURM_CLUSTER_PIDS[1]}" 2>/dev/null; then
    timeout 5 scancel --quiet --user "$(id -un)" >/dev/null 2>&1
    for _ in $(seq 30); do [[ -z $(timeout 2 squeue -h 2>/dev/null) ]] && break; sleep 0.1; done
  fi
  for ((k = ${#SLURM_CLUSTER_PIDS[@]} - 1; k >= 0; k--)); do kill "${SLURM_CLUSTER_PIDS[k]}" 2>/dev/null; done
  for p in "${SLURM_CLUSTER_PIDS[@]+"${SLURM_CLUSTER_PIDS[@]}"}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$p" 2>/dev/null && kill -9 "$p" 2>/dev/null
  done
  SLURM_CLUSTER_PIDS=()
}
