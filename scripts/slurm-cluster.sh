#!/usr/bin/env bash
# A real Slurm cluster in a folder, for the executor tests and for trying
# `labbook run --executor slurm` on one machine: `start DIR [NODES]` installs Debian's slurmctld,
# slurmd, slurm-client and munge if missing, writes a configuration with everything (state, spool,
# logs, PID files, munge socket) under DIR, starts munged, slurmctld and slurmd, and waits until
# the nodes are idle; `stop DIR` stops exactly the daemons it started (by PID). Needs root.
# NODES=2 adds a second node, `node2`, whose slurmd runs in its own network namespace (a veth
# pair, 10.231.N.2) on the same files: a node that can die alone. `kill-node DIR` kills every
# process of node2 at once (its slurmd and the job steps on it), as a machine that loses power;
# the controller marks it DOWN after SlurmdTimeout (5 s) and its jobs NODE_FAIL.
# `kill-node-when-running DIR [COMMAND]` does it as soon as a task's COMMAND runs there.
# Afterwards: `export SLURM_CONF=DIR/slurm.conf`.
set -euo pipefail
command=${1:-}; dir=${2:-}; nodes=${3:-1}
[ -n "$command" ] && [ -n "$dir" ] || { echo "usage: $0 start DIR [1|2] | stop DIR | kill-node DIR | kill-node-when-running DIR [COMMAND]" >&2; exit 2; }
mkdir -p "$dir"; dir=$(cd "$dir" && pwd)
# One namespace and subnet per cluster folder, so two clusters never share them.
tag=$(printf '%s' "$dir" | cksum | cut -d' ' -f1)
namespace="labbook-node2-$(( tag % 100000 ))"; subnet="10.231.$(( tag % 250 + 1 ))"
veth="lbv$(( tag % 100000 ))"

kill_node() {
  ip netns pids "$namespace" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
  rm -f "$dir/slurmd-node2.pid"
}

stop() {
  kill_node
  ip link del "$veth" 2>/dev/null || true
  ip netns del "$namespace" 2>/dev/null || true
  for name in slurmd slurmctld munged; do
    pidfile="$dir/$name.pid"
    [ -s "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    kill "$pid" 2>/dev/null || true
    # A slurmd retrying a dead controller can ignore SIGTERM for a while.
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$pidfile"
  done
}

if [ "$command" = stop ]; then stop; exit 0; fi
if [ "$command" = kill-node ]; then kill_node; exit 0; fi
# Waits (up to 300 s) until a task's own command (COMMAND, e.g. "cell") runs on node2, then kills
# the node: a task that has started, so Slurm ends it NODE_FAIL instead of requeueing a launch.
if [ "$command" = kill-node-when-running ]; then
  pattern=${3:-cell}
  for _ in $(seq 1 3000); do
    for pid in $(ip netns pids "$namespace" 2>/dev/null); do
      if tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q -- " $pattern "; then kill_node; echo "killed node2 while process $pid ran"; exit 0; fi
    done
    sleep 0.05
  done
  echo "slurm-cluster: no '$pattern' process ran on node2" >&2; exit 1
fi
[ "$command" = start ] || { echo "usage: $0 start DIR [1|2] | stop DIR | kill-node DIR" >&2; exit 2; }
[ "$nodes" = 1 ] || [ "$nodes" = 2 ] || { echo "slurm-cluster: NODES is 1 or 2, got $nodes" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "slurm-cluster: must run as root (slurmd and munged run as root here)" >&2; exit 1; }

packages=(slurmctld slurmd slurm-client munge)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "slurm-cluster: installing ${missing[*]}"
  lists=(/var/lib/apt/lists/*_Packages)
  [ -e "${lists[0]}" ] || apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

stop
# The daemons must not inherit the caller's other descriptors: a parent that waits for them to
# close (as Foundation's Process does for its child) would wait for the daemons instead.
for fd in /proc/$$/fd/*; do
  n=${fd##*/}
  if [ "$n" -gt 2 ] 2>/dev/null; then eval "exec $n>&-" 2>/dev/null || true; fi
done
host=$(hostname -s)
cpus=$(nproc)
memory=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 1024 ))
mkdir -p "$dir/state" "$dir/spool" "$dir/munge"
chmod 711 "$dir/munge"   # munged refuses a socket folder others can write to or list
[ -s "$dir/munge.key" ] || { head -c 1024 /dev/urandom > "$dir/munge.key"; chmod 400 "$dir/munge.key"; }
controller=$host; node2=""
if [ "$nodes" = 2 ]; then
  ip netns add "$namespace"
  ip link add "$veth" type veth peer name "${veth}n"
  ip link set "${veth}n" netns "$namespace"
  ip addr add "$subnet.1/24" dev "$veth"; ip link set "$veth" up
  ip netns exec "$namespace" ip addr add "$subnet.2/24" dev "${veth}n"
  ip netns exec "$namespace" ip link set "${veth}n" up
  ip netns exec "$namespace" ip link set lo up
  controller="$host($subnet.1)"   # the address node2 reaches the controller at
  node2="NodeName=node2 NodeAddr=$subnet.2 NodeHostname=node2 CPUs=$cpus RealMemory=$memory State=UNKNOWN"
fi
cat > "$dir/slurm.conf" <<CONF
ClusterName=labbook
SlurmctldHost=$controller
SlurmdTimeout=5
JobRequeue=0
SlurmctldTimeout=10
SlurmUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=1024
SchedulerParameters=batch_sched_delay=0
ReturnToService=2
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool-%n
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd-%n.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd-%n.log
SlurmctldPort=$(( 16817 + RANDOM % 1000 ))
SlurmdPort=$(( 17818 + RANDOM % 1000 ))
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
NodeName=$host CPUs=$cpus RealMemory=$memory State=UNKNOWN
$node2
PartitionName=debug Nodes=$host${node2:+,node2} Default=YES MaxTime=INFINITE State=UP
CONF
munged -F --socket="$dir/munge/munge.socket" --key-file="$dir/munge.key" --pid-file="$dir/munged.pid" \
  --log-file="$dir/munged.log" --seed-file="$dir/munge.seed" -f > /dev/null 2>&1 &
echo $! > "$dir/munged.pid"
for _ in $(seq 1 50); do [ -S "$dir/munge/munge.socket" ] && break; sleep 0.1; done
export SLURM_CONF="$dir/slurm.conf"
slurmctld -D -f "$dir/slurm.conf" > "$dir/slurmctld.out" 2>&1 &
echo $! > "$dir/slurmctld.pid"
slurmd -D -N "$host" -f "$dir/slurm.conf" > "$dir/slurmd.out" 2>&1 &
echo $! > "$dir/slurmd.pid"
if [ "$nodes" = 2 ]; then
  # nsenter, not `ip netns exec`: that remounts /sys, and slurmd needs the cgroup tree under it.
  nsenter --net="/var/run/netns/$namespace" slurmd -D -N node2 -f "$dir/slurm.conf" > "$dir/slurmd-node2.out" 2>&1 &
fi
for _ in $(seq 1 150); do
  states=$(timeout 3 sinfo -h -N -o %T 2>/dev/null | sort -u | tr '\n' ' ' || true)
  count=$(timeout 3 sinfo -h -N -o %N 2>/dev/null | wc -l || true)
  [ "$states" = "idle " ] && [ "$count" -ge "$nodes" ] && { echo "slurm-cluster: $nodes node(s) idle; export SLURM_CONF=$dir/slurm.conf"; exit 0; }
  sleep 0.2
done
echo "slurm-cluster: the nodes did not come up; see $dir/slurmctld.log and $dir/slurmd-*.log" >&2
stop
exit 1
