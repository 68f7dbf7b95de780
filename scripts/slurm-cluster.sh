#!/usr/bin/env bash
# A real single-node Slurm cluster in a folder, for the executor tests and for trying
# `labbook run --executor slurm` on one machine: `start DIR` installs Debian's slurmctld, slurmd,
# slurm-client and munge if missing, writes a configuration with everything (state, spool, logs,
# PID files, munge socket) under DIR, starts munged, slurmctld and slurmd, and waits until the
# node is idle; `stop DIR` stops exactly the daemons it started (by PID). Needs root.
# Afterwards: `export SLURM_CONF=DIR/slurm.conf`.
set -euo pipefail
command=${1:-}; dir=${2:-}
[ -n "$command" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
mkdir -p "$dir"; dir=$(cd "$dir" && pwd)

stop() {
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
[ "$command" = start ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
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
cat > "$dir/slurm.conf" <<CONF
ClusterName=labbook
SlurmctldHost=$host
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
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
SlurmctldPort=$(( 16817 + RANDOM % 1000 ))
SlurmdPort=$(( 17818 + RANDOM % 1000 ))
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
NodeName=$host CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
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
for _ in $(seq 1 100); do
  state=$(timeout 3 sinfo -h -o %T 2>/dev/null || true)
  [ "$state" = idle ] && { echo "slurm-cluster: node $host idle; export SLURM_CONF=$dir/slurm.conf"; exit 0; }
  sleep 0.2
done
echo "slurm-cluster: the node did not come up; see $dir/slurmctld.log and $dir/slurmd.log" >&2
stop
exit 1
