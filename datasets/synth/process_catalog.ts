/**
 * Process catalogue for Elastic Endpoint-style process start events: the routine mixes of
 * Windows workstations, admin workstations, Windows servers (IIS, SQL, domain controllers, file
 * servers) and Linux servers, with real parent/child relations and command lines. Benign use of
 * discovery tools is part of it (logon scripts run net.exe, SCCM runs ipconfig, admins run
 * whoami and nltest), so a discovery command alone is not an attack.
 */

export type HostRole = 'workstation' | 'dev-workstation' | 'it-admin' | 'server-web' | 'server-sql' | 'server-dc' | 'server-file' | 'linux-web' | 'linux-db' | 'linux-k8s';

export type ProcUser = 'owner' | 'SYSTEM' | 'LOCAL SERVICE' | 'NETWORK SERVICE' | 'svc' | 'root' | 'www-data' | 'postgres' | 'apppool';

/** A process start: name, executable, parent, possible argument lists, who runs it. */
export interface ProcDef {
  name: string;
  exe: string;
  parent: string;
  parentExe: string;
  args: string[][];
  user: ProcUser;
}

export interface MixEntry {
  p: ProcDef;
  w: number;
  /** 'work': the owner's working hours; 'always': around the clock; 'logon': at the start of the day. */
  when: 'work' | 'always' | 'logon';
}

const S32 = 'C:\\Windows\\System32';
const PS = `${S32}\\WindowsPowerShell\\v1.0\\powershell.exe`;
const CMD = `${S32}\\cmd.exe`;
const SVCHOST = `${S32}\\svchost.exe`;
const SERVICES = `${S32}\\services.exe`;
const EXPLORER = 'C:\\Windows\\explorer.exe';
const CHROME = 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe';
const EDGE = 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe';
const OFFICE = 'C:\\Program Files\\Microsoft Office\\root\\Office16';
const CCM = 'C:\\Windows\\CCM\\CcmExec.exe';

function P(name: string, exe: string, parent: string, parentExe: string, args: string[][], user: ProcUser): ProcDef {
  return { name, exe, parent, parentExe, args, user };
}

export const WIN = {
  chromeRenderer: P('chrome.exe', CHROME, 'chrome.exe', CHROME, [['--type=renderer', '--lang=en-US'], ['--type=utility', '--utility-sub-type=network.mojom.NetworkService'], ['--type=gpu-process'], ['--type=renderer', '--extension-process']], 'owner'),
  chrome: P('chrome.exe', CHROME, 'explorer.exe', EXPLORER, [[]], 'owner'),
  edgeRenderer: P('msedge.exe', EDGE, 'msedge.exe', EDGE, [['--type=renderer'], ['--type=utility', '--utility-sub-type=storage.mojom.StorageService']], 'owner'),
  edge: P('msedge.exe', EDGE, 'explorer.exe', EXPLORER, [[], ['--profile-directory=Default']], 'owner'),
  teams: P('ms-teams.exe', 'C:\\Program Files\\WindowsApps\\MSTeams_{teams}_x64__8wekyb3d8bbwe\\ms-teams.exe', 'explorer.exe', EXPLORER, [[], ['msteams:system-initiated']], 'owner'),
  webview: P('msedgewebview2.exe', 'C:\\Program Files (x86)\\Microsoft\\EdgeWebView\\Application\\{webview}\\msedgewebview2.exe', 'ms-teams.exe', 'C:\\Program Files\\WindowsApps\\MSTeams_{teams}_x64__8wekyb3d8bbwe\\ms-teams.exe', [['--type=renderer'], ['--type=gpu-process'], ['--embedded-browser-webview=1']], 'owner'),
  outlook: P('OUTLOOK.EXE', `${OFFICE}\\OUTLOOK.EXE`, 'explorer.exe', EXPLORER, [[]], 'owner'),
  word: P('WINWORD.EXE', `${OFFICE}\\WINWORD.EXE`, 'explorer.exe', EXPLORER, [['/n'], ['/n', 'C:\\Users\\{user}\\Downloads\\report.docx']], 'owner'),
  excel: P('EXCEL.EXE', `${OFFICE}\\EXCEL.EXE`, 'explorer.exe', EXPLORER, [[], ['C:\\Users\\{user}\\Documents\\budget.xlsx']], 'owner'),
  powerpnt: P('POWERPNT.EXE', `${OFFICE}\\POWERPNT.EXE`, 'explorer.exe', EXPLORER, [[]], 'owner'),
  onedrive: P('OneDrive.exe', 'C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe', 'explorer.exe', EXPLORER, [['/background']], 'owner'),
  acrobat: P('Acrobat.exe', 'C:\\Program Files\\Adobe\\Acrobat DC\\Acrobat\\Acrobat.exe', 'explorer.exe', EXPLORER, [[]], 'owner'),
  notepad: P('notepad.exe', `${S32}\\notepad.exe`, 'explorer.exe', EXPLORER, [[], ['C:\\Users\\{user}\\Desktop\\notes.txt']], 'owner'),
  snipping: P('SnippingTool.exe', 'C:\\Program Files\\WindowsApps\\Microsoft.ScreenSketch_11.2409.25.0_x64__8wekyb3d8bbwe\\SnippingTool\\SnippingTool.exe', 'explorer.exe', EXPLORER, [[]], 'owner'),
  zoom: P('Zoom.exe', 'C:\\Users\\{user}\\AppData\\Roaming\\Zoom\\bin\\Zoom.exe', 'explorer.exe', EXPLORER, [[]], 'owner'),
  slack: P('slack.exe', 'C:\\Users\\{user}\\AppData\\Local\\slack\\app-4.46.99\\slack.exe', 'explorer.exe', EXPLORER, [[]], 'owner'),
  code: P('Code.exe', 'C:\\Users\\{user}\\AppData\\Local\\Programs\\Microsoft VS Code\\Code.exe', 'explorer.exe', EXPLORER, [[]], 'owner'),
  codeHelper: P('Code.exe', 'C:\\Users\\{user}\\AppData\\Local\\Programs\\Microsoft VS Code\\Code.exe', 'Code.exe', 'C:\\Users\\{user}\\AppData\\Local\\Programs\\Microsoft VS Code\\Code.exe', [['--type=renderer'], ['--type=utility', '--utility-sub-type=node.mojom.NodeService']], 'owner'),
  git: P('git.exe', 'C:\\Program Files\\Git\\cmd\\git.exe', 'Code.exe', 'C:\\Users\\{user}\\AppData\\Local\\Programs\\Microsoft VS Code\\Code.exe', [['status', '-z', '-uall'], ['fetch'], ['rev-parse', '--show-toplevel'], ['log', '--oneline', '-n', '20']], 'owner'),
  node: P('node.exe', 'C:\\Program Files\\nodejs\\node.exe', 'cmd.exe', CMD, [['server.js'], ['node_modules\\.bin\\jest'], ['node_modules\\npm\\bin\\npm-cli.js', 'install']], 'owner'),
  python: P('python.exe', 'C:\\Users\\{user}\\AppData\\Local\\Programs\\Python\\Python312\\python.exe', 'powershell.exe', PS, [['-m', 'pytest'], ['manage.py', 'runserver'], ['analysis.py']], 'owner'),
  docker: P('docker.exe', 'C:\\Program Files\\Docker\\Docker\\resources\\bin\\docker.exe', 'powershell.exe', PS, [['ps'], ['compose', 'up', '-d'], ['build', '-t', 'app:dev', '.']], 'owner'),
  userCmd: P('cmd.exe', CMD, 'explorer.exe', EXPLORER, [[]], 'owner'),
  userPs: P('powershell.exe', PS, 'explorer.exe', EXPLORER, [['-NoLogo']], 'owner'),
  conhostCmd: P('conhost.exe', `${S32}\\conhost.exe`, 'cmd.exe', CMD, [['0xffffffff', '-ForceV1']], 'owner'),
  conhostPs: P('conhost.exe', `${S32}\\conhost.exe`, 'powershell.exe', PS, [['0xffffffff', '-ForceV1']], 'owner'),
  explorer: P('explorer.exe', EXPLORER, 'userinit.exe', `${S32}\\userinit.exe`, [[]], 'owner'),
  userinit: P('userinit.exe', `${S32}\\userinit.exe`, 'winlogon.exe', `${S32}\\winlogon.exe`, [[]], 'SYSTEM'),
  logonScript: P('cmd.exe', CMD, 'gpscript.exe', `${S32}\\gpscript.exe`, [['/c', '\\\\corp.local\\SYSVOL\\corp.local\\scripts\\logon.cmd']], 'owner'),
  netUse: P('net.exe', `${S32}\\net.exe`, 'cmd.exe', CMD, [['use', 'H:', '\\\\fs01\\home$\\{user}', '/persistent:no'], ['use', 'S:', '\\\\fs01\\shared']], 'owner'),
  net1Use: P('net1.exe', `${S32}\\net1.exe`, 'net.exe', `${S32}\\net.exe`, [['use', 'H:', '\\\\fs01\\home$\\{user}', '/persistent:no']], 'owner'),
  svchost: P('svchost.exe', SVCHOST, 'services.exe', SERVICES, [['-k', 'netsvcs', '-p', '-s', 'Schedule'], ['-k', 'LocalServiceNetworkRestricted', '-p'], ['-k', 'wsappx', '-p', '-s', 'AppXSvc'], ['-k', 'UnistackSvcGroup']], 'SYSTEM'),
  taskhostw: P('taskhostw.exe', `${S32}\\taskhostw.exe`, 'svchost.exe', SVCHOST, [[], ['KEYROAMING']], 'owner'),
  bgTask: P('backgroundTaskHost.exe', `${S32}\\backgroundTaskHost.exe`, 'svchost.exe', SVCHOST, [['-ServerName:BackgroundTaskHost.WebAccountProvider']], 'owner'),
  runtimeBroker: P('RuntimeBroker.exe', `${S32}\\RuntimeBroker.exe`, 'svchost.exe', SVCHOST, [['-Embedding']], 'owner'),
  searchProto: P('SearchProtocolHost.exe', `${S32}\\SearchProtocolHost.exe`, 'SearchIndexer.exe', `${S32}\\SearchIndexer.exe`, [['Global\\UsGthrFltPipeMssGthrPipe1']], 'SYSTEM'),
  searchFilter: P('SearchFilterHost.exe', `${S32}\\SearchFilterHost.exe`, 'SearchIndexer.exe', `${S32}\\SearchIndexer.exe`, [['0', '820', '824', '832', '8192']], 'SYSTEM'),
  wmiPrvSe: P('WmiPrvSE.exe', `${S32}\\wbem\\WmiPrvSE.exe`, 'svchost.exe', SVCHOST, [['-secured', '-Embedding'], ['-Embedding']], 'NETWORK SERVICE'),
  dllhost: P('dllhost.exe', `${S32}\\dllhost.exe`, 'svchost.exe', SVCHOST, [['/Processid:{AB8902B4-09CA-4BB6-B78D-A8F59079A8D5}'], ['/Processid:{3EB3C877-1F16-487C-9050-104DBCD66683}']], 'owner'),
  mpCmdRun: P('MpCmdRun.exe', 'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.25070.5-0\\MpCmdRun.exe', 'MsMpEng.exe', 'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.25070.5-0\\MsMpEng.exe', [['SignatureUpdate', '-ScheduleJob', '-RestrictPrivileges'], ['-IdleTask', '-TaskName', 'WdCacheMaintenance']], 'SYSTEM'),
  edgeUpdate: P('MicrosoftEdgeUpdate.exe', 'C:\\Program Files (x86)\\Microsoft\\EdgeUpdate\\MicrosoftEdgeUpdate.exe', 'svchost.exe', SVCHOST, [['/ua', '/installsource', 'scheduler'], ['/c']], 'SYSTEM'),
  googleUpdate: P('updater.exe', 'C:\\Program Files (x86)\\Google\\GoogleUpdater\\141.0.7340.0\\updater.exe', 'svchost.exe', SVCHOST, [['--wake', '--system']], 'SYSTEM'),
  compatTel: P('CompatTelRunner.exe', `${S32}\\CompatTelRunner.exe`, 'svchost.exe', SVCHOST, [['-m:appraiser.dll', '-f:DoScheduledTelemetryRun'], ['-maintenance']], 'SYSTEM'),
  rundll32Task: P('rundll32.exe', `${S32}\\rundll32.exe`, 'svchost.exe', SVCHOST, [['Startupscan.dll,SusRunTask'], ['C:\\Windows\\system32\\PcaSvc.dll,PcaPatchSdbTask']], 'SYSTEM'),
  sihclient: P('sihclient.exe', `${S32}\\sihclient.exe`, 'svchost.exe', SVCHOST, [['/cv', 'pnvRiVSwYUmDjRfdE9/Fcw.0.2']], 'SYSTEM'),
  smartscreen: P('smartscreen.exe', `${S32}\\smartscreen.exe`, 'svchost.exe', SVCHOST, [['-Embedding']], 'owner'),
  ctfmon: P('ctfmon.exe', `${S32}\\ctfmon.exe`, 'svchost.exe', SVCHOST, [[]], 'owner'),
  consent: P('consent.exe', `${S32}\\consent.exe`, 'svchost.exe', SVCHOST, [['9876', '322', '000001E4C2A3B1F0']], 'SYSTEM'),
  ccmPs: P('powershell.exe', PS, 'CcmExec.exe', CCM, [['-NoLogo', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-File', 'C:\\Windows\\CCM\\SystemTemp\\compliance.ps1']], 'SYSTEM'),
  ccmIpconfig: P('ipconfig.exe', `${S32}\\ipconfig.exe`, 'cmd.exe', CMD, [['/all']], 'SYSTEM'),
  ccmCmd: P('cmd.exe', CMD, 'CcmExec.exe', CCM, [['/c', 'C:\\Windows\\CCM\\SystemTemp\\inventory.cmd']], 'SYSTEM'),
  gpupdate: P('gpupdate.exe', `${S32}\\gpupdate.exe`, 'svchost.exe', SVCHOST, [['/target:computer']], 'SYSTEM'),
  // Windows Update (Patch Tuesday and the days after).
  tiWorker: P('TiWorker.exe', 'C:\\Windows\\WinSxS\\amd64_microsoft-windows-servicingstack_31bf3856ad364e35_10.0.26100.4768_none_7e3ba2d5e8a6f6c1\\TiWorker.exe', 'svchost.exe', SVCHOST, [['-Embedding']], 'SYSTEM'),
  trustedInstaller: P('TrustedInstaller.exe', 'C:\\Windows\\servicing\\TrustedInstaller.exe', 'services.exe', SERVICES, [[]], 'SYSTEM'),
  mousocore: P('MoUsoCoreWorker.exe', `${S32}\\MoUsoCoreWorker.exe`, 'svchost.exe', SVCHOST, [['-Embedding']], 'SYSTEM'),
  msiexec: P('msiexec.exe', `${S32}\\msiexec.exe`, 'services.exe', SERVICES, [['/V']], 'SYSTEM'),
  // Admin tooling: the same binaries an intruder uses for discovery.
  adminIpconfig: P('ipconfig.exe', `${S32}\\ipconfig.exe`, 'cmd.exe', CMD, [['/all'], ['/flushdns'], []], 'owner'),
  adminWhoami: P('whoami.exe', `${S32}\\whoami.exe`, 'cmd.exe', CMD, [[], ['/groups']], 'owner'),
  adminNet: P('net.exe', `${S32}\\net.exe`, 'powershell.exe', PS, [['user', '{user}', '/domain'], ['group', 'Helpdesk', '/domain'], ['localgroup', 'administrators']], 'owner'),
  adminNltest: P('nltest.exe', `${S32}\\nltest.exe`, 'cmd.exe', CMD, [['/dsgetdc:corp.local'], ['/sc_query:corp.local']], 'owner'),
  adminSc: P('sc.exe', `${S32}\\sc.exe`, 'cmd.exe', CMD, [['query', 'wuauserv'], ['query', 'spooler'], ['\\\\SRV-APP-02', 'query', 'W3SVC']], 'owner'),
  adminTasklist: P('tasklist.exe', `${S32}\\tasklist.exe`, 'cmd.exe', CMD, [['/svc'], []], 'owner'),
  adminPing: P('PING.EXE', `${S32}\\PING.EXE`, 'cmd.exe', CMD, [['-t', 'SRV-SQL-01'], ['8.8.8.8']], 'owner'),
  adminMstsc: P('mstsc.exe', `${S32}\\mstsc.exe`, 'explorer.exe', EXPLORER, [['/v:SRV-WEB-01'], ['/v:DC01']], 'owner'),
  adminMmc: P('mmc.exe', `${S32}\\mmc.exe`, 'explorer.exe', EXPLORER, [['C:\\Windows\\system32\\dsa.msc'], ['C:\\Windows\\system32\\compmgmt.msc'], ['C:\\Windows\\system32\\gpmc.msc']], 'owner'),
  adminQuser: P('quser.exe', `${S32}\\quser.exe`, 'cmd.exe', CMD, [['/server:SRV-APP-02'], []], 'owner'),
  adminSysinfo: P('systeminfo.exe', `${S32}\\systeminfo.exe`, 'cmd.exe', CMD, [[]], 'owner'),
  adminGpresult: P('gpresult.exe', `${S32}\\gpresult.exe`, 'cmd.exe', CMD, [['/r'], ['/h', 'report.html']], 'owner'),
  // Servers.
  w3wp: P('w3wp.exe', 'C:\\Windows\\System32\\inetsrv\\w3wp.exe', 'svchost.exe', SVCHOST, [['-ap', 'DefaultAppPool', '-v', 'v4.0', '-l', 'webengine4.dll'], ['-ap', 'PortalAppPool', '-v', 'v4.0']], 'apppool'),
  csc: P('csc.exe', 'C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\csc.exe', 'w3wp.exe', 'C:\\Windows\\System32\\inetsrv\\w3wp.exe', [['/noconfig', '/fullpaths', '@"C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\Temporary ASP.NET Files\\root\\5f1a\\x.cmdline"']], 'apppool'),
  cvtres: P('cvtres.exe', 'C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\cvtres.exe', 'csc.exe', 'C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\csc.exe', [['/NOLOGO', '/READONLY', '/MACHINE:IX86']], 'apppool'),
  sqlAgentCmd: P('cmd.exe', CMD, 'SQLAGENT.EXE', 'C:\\Program Files\\Microsoft SQL Server\\MSSQL16.MSSQLSERVER\\MSSQL\\Binn\\SQLAGENT.EXE', [['/c', 'sqlcmd -S . -i D:\\jobs\\index_maintenance.sql']], 'svc'),
  sqlcmd: P('SQLCMD.EXE', 'C:\\Program Files\\Microsoft SQL Server\\Client SDK\\ODBC\\170\\Tools\\Binn\\SQLCMD.EXE', 'cmd.exe', CMD, [['-S', '.', '-i', 'D:\\jobs\\index_maintenance.sql']], 'svc'),
  backupAgent: P('VeeamAgent.exe', 'C:\\Program Files\\Veeam\\Backup and Replication\\Backup\\VeeamAgent.exe', 'VeeamTransportSvc.exe', 'C:\\Program Files\\Veeam\\Backup Transport\\VeeamTransportSvc.exe', [['-l', 'Backup']], 'SYSTEM'),
  schedPs: P('powershell.exe', PS, 'svchost.exe', SVCHOST, [['-ExecutionPolicy', 'Bypass', '-File', 'C:\\Scripts\\cleanup-logs.ps1'], ['-File', 'C:\\Scripts\\export-report.ps1'], ['-File', 'C:\\Scripts\\cert-check.ps1']], 'svc'),
  robocopy: P('Robocopy.exe', `${S32}\\Robocopy.exe`, 'powershell.exe', PS, [['D:\\Shares', '\\\\backup01\\fs01', '/MIR', '/R:1', '/W:1']], 'svc'),
  dfsrdiag: P('dfsrdiag.exe', `${S32}\\dfsrdiag.exe`, 'svchost.exe', SVCHOST, [['pollad']], 'SYSTEM'),
  rdpclip: P('rdpclip.exe', `${S32}\\rdpclip.exe`, 'svchost.exe', SVCHOST, [[]], 'owner'),
  serverManager: P('ServerManager.exe', `${S32}\\ServerManager.exe`, 'explorer.exe', EXPLORER, [[]], 'owner'),
  repadmin: P('repadmin.exe', `${S32}\\repadmin.exe`, 'cmd.exe', CMD, [['/replsummary'], ['/showrepl']], 'owner'),
  dcdiag: P('dcdiag.exe', `${S32}\\dcdiag.exe`, 'cmd.exe', CMD, [['/q']], 'owner'),
};

const L = {
  cronSh: P('sh', '/usr/bin/dash', 'cron', '/usr/sbin/cron', [['-c', '/usr/local/bin/backup.sh'], ['-c', 'run-parts --report /etc/cron.hourly'], ['-c', '/opt/app/bin/healthcheck']], 'root'),
  logrotate: P('logrotate', '/usr/sbin/logrotate', 'sh', '/usr/bin/dash', [['/etc/logrotate.conf']], 'root'),
  gzip: P('gzip', '/usr/bin/gzip', 'sh', '/usr/bin/dash', [['-9', '/var/backups/app.sql']], 'root'),
  find: P('find', '/usr/bin/find', 'sh', '/usr/bin/dash', [['/tmp', '-type', 'f', '-mtime', '+7', '-delete']], 'root'),
  rsync: P('rsync', '/usr/bin/rsync', 'sh', '/usr/bin/dash', [['-az', '/var/backups/', 'backup01:/srv/backups/']], 'root'),
  curlHealth: P('curl', '/usr/bin/curl', 'sh', '/usr/bin/dash', [['-fsS', 'http://127.0.0.1:8080/healthz']], 'root'),
  python: P('python3', '/usr/bin/python3.12', 'sh', '/usr/bin/dash', [['/opt/scripts/report.py'], ['/opt/scripts/rotate_keys.py']], 'root'),
  sshdChild: P('sshd', '/usr/sbin/sshd', 'sshd', '/usr/sbin/sshd', [['-D', '-R']], 'root'),
  bash: P('bash', '/usr/bin/bash', 'sshd', '/usr/sbin/sshd', [['-bash']], 'owner'),
  ls: P('ls', '/usr/bin/ls', 'bash', '/usr/bin/bash', [['-la'], ['--color=auto']], 'owner'),
  cat: P('cat', '/usr/bin/cat', 'bash', '/usr/bin/bash', [['/var/log/app/app.log'], ['/etc/nginx/nginx.conf']], 'owner'),
  grep: P('grep', '/usr/bin/grep', 'bash', '/usr/bin/bash', [['-i', 'error', '/var/log/app/app.log'], ['--color=auto', 'timeout']], 'owner'),
  tail: P('tail', '/usr/bin/tail', 'bash', '/usr/bin/bash', [['-f', '/var/log/syslog'], ['-n', '200', '/var/log/app/app.log']], 'owner'),
  sudo: P('sudo', '/usr/bin/sudo', 'bash', '/usr/bin/bash', [['systemctl', 'restart', 'app'], ['journalctl', '-u', 'app', '--since', 'today']], 'owner'),
  systemctl: P('systemctl', '/usr/bin/systemctl', 'sudo', '/usr/bin/sudo', [['restart', 'app'], ['status', 'nginx']], 'root'),
  journalctl: P('journalctl', '/usr/bin/journalctl', 'sudo', '/usr/bin/sudo', [['-u', 'app', '--since', 'today']], 'root'),
  vim: P('vim', '/usr/bin/vim.basic', 'bash', '/usr/bin/bash', [['/etc/app/config.yaml']], 'owner'),
  top: P('top', '/usr/bin/top', 'bash', '/usr/bin/bash', [[]], 'owner'),
  df: P('df', '/usr/bin/df', 'bash', '/usr/bin/bash', [['-h']], 'owner'),
  nginxWorker: P('nginx', '/usr/sbin/nginx', 'nginx', '/usr/sbin/nginx', [['-g', 'daemon on; master_process on;']], 'www-data'),
  phpFpm: P('php-fpm8.3', '/usr/sbin/php-fpm8.3', 'php-fpm8.3', '/usr/sbin/php-fpm8.3', [['--nodaemonize', '--fpm-config', '/etc/php/8.3/fpm/php-fpm.conf']], 'www-data'),
  postgres: P('postgres', '/usr/lib/postgresql/16/bin/postgres', 'postgres', '/usr/lib/postgresql/16/bin/postgres', [['-D', '/var/lib/postgresql/16/main']], 'postgres'),
  pgDump: P('pg_dump', '/usr/lib/postgresql/16/bin/pg_dump', 'sh', '/usr/bin/dash', [['-Fc', 'appdb']], 'postgres'),
  runc: P('runc', '/usr/bin/runc', 'containerd-shim-runc-v2', '/usr/bin/containerd-shim-runc-v2', [['--root', '/run/containerd/runc/k8s.io', 'init']], 'root'),
  shim: P('containerd-shim-runc-v2', '/usr/bin/containerd-shim-runc-v2', 'containerd', '/usr/bin/containerd', [['-namespace', 'k8s.io', '-address', '/run/containerd/containerd.sock']], 'root'),
  iptables: P('iptables', '/usr/sbin/iptables', 'kubelet', '/usr/bin/kubelet', [['-w', '5', '-t', 'nat', '-L']], 'root'),
  mount: P('mount', '/usr/bin/mount', 'kubelet', '/usr/bin/kubelet', [['-t', 'tmpfs', 'tmpfs', '/var/lib/kubelet/pods']], 'root'),
  nodeApp: P('node', '/usr/local/bin/node', 'containerd-shim-runc-v2', '/usr/bin/containerd-shim-runc-v2', [['dist/server.js']], 'root'),
  aptGet: P('apt-get', '/usr/bin/apt-get', 'sh', '/usr/bin/dash', [['-qq', '-y', 'update']], 'root'),
  unattended: P('unattended-upgr', '/usr/bin/python3.12', 'systemd', '/usr/lib/systemd/systemd', [['/usr/bin/unattended-upgrade']], 'root'),
  dpkg: P('dpkg', '/usr/bin/dpkg', 'unattended-upgr', '/usr/bin/python3.12', [['--status-fd', '10', '--configure', '--pending']], 'root'),
  tmpfiles: P('systemd-tmpfiles', '/usr/bin/systemd-tmpfiles', 'systemd', '/usr/lib/systemd/systemd', [['--clean']], 'root'),
};

export const LINUX = L;

const e = (p: ProcDef, w: number, when: MixEntry['when'] = 'work'): MixEntry => ({ p, w, when });

const WIN_BACKGROUND: MixEntry[] = [
  e(WIN.svchost, 2, 'always'),
  e(WIN.taskhostw, 2, 'always'),
  e(WIN.bgTask, 3, 'work'),
  e(WIN.runtimeBroker, 2, 'work'),
  e(WIN.searchProto, 3, 'always'),
  e(WIN.searchFilter, 2, 'always'),
  e(WIN.wmiPrvSe, 2, 'always'),
  e(WIN.dllhost, 2, 'work'),
  e(WIN.mpCmdRun, 0.6, 'always'),
  e(WIN.edgeUpdate, 0.8, 'always'),
  e(WIN.googleUpdate, 0.5, 'always'),
  e(WIN.compatTel, 0.2, 'always'),
  e(WIN.rundll32Task, 0.3, 'always'),
  e(WIN.sihclient, 0.2, 'always'),
  e(WIN.smartscreen, 0.6, 'work'),
  e(WIN.ctfmon, 0.4, 'logon'),
  e(WIN.ccmPs, 0.4, 'always'),
  e(WIN.ccmCmd, 0.15, 'always'),
  e(WIN.ccmIpconfig, 0.1, 'always'),
  e(WIN.gpupdate, 0.2, 'always'),
  e(WIN.consent, 0.15, 'work'),
];

const OFFICE_MIX: MixEntry[] = [
  e(WIN.chromeRenderer, 10),
  e(WIN.chrome, 1),
  e(WIN.edgeRenderer, 4),
  e(WIN.edge, 0.6),
  e(WIN.webview, 6),
  e(WIN.teams, 0.5, 'logon'),
  e(WIN.outlook, 0.6, 'logon'),
  e(WIN.word, 1),
  e(WIN.excel, 1),
  e(WIN.powerpnt, 0.4),
  e(WIN.onedrive, 0.5, 'logon'),
  e(WIN.acrobat, 0.5),
  e(WIN.notepad, 0.4),
  e(WIN.snipping, 0.3),
  e(WIN.explorer, 0.3, 'logon'),
  e(WIN.userinit, 0.3, 'logon'),
];

export const MIXES: Record<HostRole, MixEntry[]> = {
  workstation: [...OFFICE_MIX, ...WIN_BACKGROUND, e(WIN.zoom, 0.3), e(WIN.slack, 0.3), e(WIN.userCmd, 0.1), e(WIN.conhostCmd, 0.1)],
  'dev-workstation': [
    ...OFFICE_MIX.filter((m) => m.p !== WIN.word && m.p !== WIN.powerpnt),
    ...WIN_BACKGROUND,
    e(WIN.code, 0.6),
    e(WIN.codeHelper, 6),
    e(WIN.git, 5),
    e(WIN.node, 2),
    e(WIN.python, 1.5),
    e(WIN.docker, 1),
    e(WIN.userCmd, 1),
    e(WIN.userPs, 1),
    e(WIN.conhostCmd, 1),
    e(WIN.conhostPs, 1),
    e(WIN.slack, 0.4),
  ],
  'it-admin': [
    ...OFFICE_MIX,
    ...WIN_BACKGROUND,
    e(WIN.userCmd, 1.5),
    e(WIN.userPs, 2),
    e(WIN.conhostCmd, 1.5),
    e(WIN.conhostPs, 2),
    e(WIN.adminIpconfig, 0.8),
    e(WIN.adminWhoami, 0.4),
    e(WIN.adminNet, 0.6),
    e(WIN.adminNltest, 0.15),
    e(WIN.adminSc, 0.5),
    e(WIN.adminTasklist, 0.4),
    e(WIN.adminPing, 0.8),
    e(WIN.adminMstsc, 0.8),
    e(WIN.adminMmc, 0.6),
    e(WIN.adminQuser, 0.3),
    e(WIN.adminSysinfo, 0.15),
    e(WIN.adminGpresult, 0.2),
  ],
  'server-web': [...WIN_BACKGROUND, e(WIN.w3wp, 3, 'always'), e(WIN.csc, 0.4, 'always'), e(WIN.cvtres, 0.4, 'always'), e(WIN.schedPs, 1, 'always'), e(WIN.rdpclip, 0.1), e(WIN.serverManager, 0.05), e(WIN.adminIpconfig, 0.05)],
  'server-sql': [...WIN_BACKGROUND, e(WIN.sqlAgentCmd, 1.5, 'always'), e(WIN.sqlcmd, 1.5, 'always'), e(WIN.backupAgent, 0.8, 'always'), e(WIN.schedPs, 0.8, 'always'), e(WIN.conhostCmd, 1.5, 'always'), e(WIN.rdpclip, 0.1)],
  'server-dc': [...WIN_BACKGROUND, e(WIN.dfsrdiag, 1, 'always'), e(WIN.schedPs, 0.6, 'always'), e(WIN.rdpclip, 0.2), e(WIN.repadmin, 0.2), e(WIN.dcdiag, 0.1), e(WIN.adminMmc, 0.3), e(WIN.adminNltest, 0.1), e(WIN.adminWhoami, 0.05), e(WIN.userCmd, 0.3), e(WIN.conhostCmd, 0.3)],
  'server-file': [...WIN_BACKGROUND, e(WIN.robocopy, 1, 'always'), e(WIN.schedPs, 1, 'always'), e(WIN.backupAgent, 0.6, 'always'), e(WIN.rdpclip, 0.1)],
  'linux-web': [e(L.cronSh, 4, 'always'), e(L.curlHealth, 4, 'always'), e(L.logrotate, 0.3, 'always'), e(L.find, 0.4, 'always'), e(L.nginxWorker, 0.5, 'always'), e(L.phpFpm, 2, 'always'), e(L.sshdChild, 0.4), e(L.bash, 0.4), e(L.ls, 0.6), e(L.cat, 0.5), e(L.grep, 0.5), e(L.tail, 0.4), e(L.sudo, 0.3), e(L.systemctl, 0.2), e(L.vim, 0.1), e(L.tmpfiles, 0.3, 'always'), e(L.aptGet, 0.1, 'always'), e(L.unattended, 0.1, 'always'), e(L.dpkg, 0.1, 'always')],
  'linux-db': [e(L.cronSh, 3, 'always'), e(L.postgres, 6, 'always'), e(L.pgDump, 0.3, 'always'), e(L.gzip, 0.3, 'always'), e(L.rsync, 0.3, 'always'), e(L.python, 0.5, 'always'), e(L.sshdChild, 0.3), e(L.bash, 0.3), e(L.df, 0.2), e(L.top, 0.2), e(L.journalctl, 0.1), e(L.sudo, 0.2), e(L.tmpfiles, 0.3, 'always')],
  'linux-k8s': [e(L.runc, 5, 'always'), e(L.shim, 2, 'always'), e(L.iptables, 4, 'always'), e(L.mount, 2, 'always'), e(L.nodeApp, 1, 'always'), e(L.cronSh, 1, 'always'), e(L.curlHealth, 1, 'always'), e(L.tmpfiles, 0.3, 'always'), e(L.sshdChild, 0.05), e(L.bash, 0.05)],
};

/** Programs people install during the window: new, benign process names. */
export const NEW_SOFTWARE: ProcDef[] = [
  P('Postman.exe', 'C:\\Users\\{user}\\AppData\\Local\\Postman\\app-11.62.1\\Postman.exe', 'explorer.exe', EXPLORER, [[]], 'owner'),
  P('Obsidian.exe', 'C:\\Users\\{user}\\AppData\\Local\\Programs\\Obsidian\\Obsidian.exe', 'explorer.exe', EXPLORER, [[]], 'owner'),
  P('Notion.exe', 'C:\\Users\\{user}\\AppData\\Local\\Programs\\Notion\\Notion.exe', 'explorer.exe', EXPLORER, [[]], 'owner'),
  P('WindowsTerminal.exe', 'C:\\Program Files\\WindowsApps\\Microsoft.WindowsTerminal_1.22.11141.0_x64__8wekyb3d8bbwe\\WindowsTerminal.exe', 'explorer.exe', EXPLORER, [[]], 'owner'),
  P('KeePassXC.exe', 'C:\\Program Files\\KeePassXC\\KeePassXC.exe', 'explorer.exe', EXPLORER, [[]], 'owner'),
  P('Greenshot.exe', 'C:\\Program Files\\Greenshot\\Greenshot.exe', 'explorer.exe', EXPLORER, [[]], 'owner'),
  P('wireshark.exe', 'C:\\Program Files\\Wireshark\\Wireshark.exe', 'explorer.exe', EXPLORER, [[]], 'owner'),
  P('Spotify.exe', 'C:\\Users\\{user}\\AppData\\Roaming\\Spotify\\Spotify.exe', 'explorer.exe', EXPLORER, [[]], 'owner'),
];

/** Boot: what starts after a reboot (Patch Tuesday), in order. */
export const BOOT: ProcDef[] = [
  P('smss.exe', `${S32}\\smss.exe`, 'System', 'System', [[]], 'SYSTEM'),
  P('csrss.exe', `${S32}\\csrss.exe`, 'smss.exe', `${S32}\\smss.exe`, [['ObjectDirectory=\\Windows', 'SharedSection=1024,20480,768']], 'SYSTEM'),
  P('wininit.exe', `${S32}\\wininit.exe`, 'smss.exe', `${S32}\\smss.exe`, [[]], 'SYSTEM'),
  P('services.exe', SERVICES, 'wininit.exe', `${S32}\\wininit.exe`, [[]], 'SYSTEM'),
  P('lsass.exe', `${S32}\\lsass.exe`, 'wininit.exe', `${S32}\\wininit.exe`, [[]], 'SYSTEM'),
  P('winlogon.exe', `${S32}\\winlogon.exe`, 'smss.exe', `${S32}\\smss.exe`, [[]], 'SYSTEM'),
  P('fontdrvhost.exe', `${S32}\\fontdrvhost.exe`, 'wininit.exe', `${S32}\\wininit.exe`, [[]], 'SYSTEM'),
  P('dwm.exe', `${S32}\\dwm.exe`, 'winlogon.exe', `${S32}\\winlogon.exe`, [[]], 'SYSTEM'),
  P('svchost.exe', SVCHOST, 'services.exe', SERVICES, [['-k', 'DcomLaunch', '-p'], ['-k', 'RPCSS', '-p'], ['-k', 'netsvcs', '-p']], 'SYSTEM'),
  P('spoolsv.exe', `${S32}\\spoolsv.exe`, 'services.exe', SERVICES, [[]], 'SYSTEM'),
  P('MsMpEng.exe', 'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.25070.5-0\\MsMpEng.exe', 'services.exe', SERVICES, [[]], 'SYSTEM'),
  P('SearchIndexer.exe', `${S32}\\SearchIndexer.exe`, 'services.exe', SERVICES, [['/Embedding']], 'SYSTEM'),
];

export const PATCH: ProcDef[] = [WIN.tiWorker, WIN.trustedInstaller, WIN.mousocore, WIN.msiexec];

/**
 * Rare but benign process starts: signature and product updaters (with versioned names, so a
 * "new process name" is routine), installers' temp binaries, helpdesk troubleshooting, timers.
 * {sig}, {rnd} and {ver} are filled per event.
 */
export const RARE_WIN: ProcDef[] = [
  P('AM_Delta_Patch_{sig}.exe', 'C:\\Windows\\SoftwareDistribution\\Download\\Install\\AM_Delta_Patch_{sig}.exe', 'wuauclt.exe', `${S32}\\wuauclt.exe`, [['WD', '/q']], 'SYSTEM'),
  P('MpSigStub.exe', `${S32}\\MpSigStub.exe`, 'wuauclt.exe', `${S32}\\wuauclt.exe`, [['/stub', '1.1.24050.5', '/payload', '{sig}', '/program', 'C:\\Windows\\SoftwareDistribution\\Download\\Install\\AM_Delta_Patch_{sig}.exe']], 'SYSTEM'),
  P('is-{rnd}.tmp', 'C:\\Users\\{user}\\AppData\\Local\\Temp\\is-{rnd}.tmp\\setup.tmp', 'setup.exe', 'C:\\Users\\{user}\\Downloads\\setup.exe', [['/SL5="$1F0A2,1043541,832512"']], 'owner'),
  P('DismHost.exe', 'C:\\Windows\\Temp\\{rnd}-{rnd}\\DismHost.exe', 'TiWorker.exe', 'C:\\Windows\\WinSxS\\amd64_microsoft-windows-servicingstack\\TiWorker.exe', [['{6B1C5F2E-4C1A-4D9E-9B43-6C0B5E1C9A77}']], 'SYSTEM'),
  P('OfficeC2RClient.exe', 'C:\\Program Files\\Common Files\\microsoft shared\\ClickToRun\\OfficeC2RClient.exe', 'OfficeClickToRun.exe', 'C:\\Program Files\\Common Files\\microsoft shared\\ClickToRun\\OfficeClickToRun.exe', [['/frequentupdate', 'SCHEDULEDTASK', 'displaylevel=False']], 'SYSTEM'),
  P('MicrosoftEdge_X64_{ver}.exe', 'C:\\Program Files (x86)\\Microsoft\\EdgeUpdate\\Install\\{rnd}\\MicrosoftEdge_X64_{ver}.exe', 'MicrosoftEdgeUpdate.exe', 'C:\\Program Files (x86)\\Microsoft\\EdgeUpdate\\MicrosoftEdgeUpdate.exe', [['--verbose-logging', '--do-not-launch-msedge', '--system-level']], 'SYSTEM'),
  P('setup.exe', 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\{ver}\\Installer\\setup.exe', 'MicrosoftEdge_X64_{ver}.exe', 'C:\\Program Files (x86)\\Microsoft\\EdgeUpdate\\Install\\{rnd}\\MicrosoftEdge_X64_{ver}.exe', [['--msedge', '--channel=stable', '--system-level']], 'SYSTEM'),
  P('TeamsBootstrapper.exe', 'C:\\Program Files\\WindowsApps\\MSTeams_{teams}_x64__8wekyb3d8bbwe\\TeamsBootstrapper.exe', 'svchost.exe', `${S32}\\svchost.exe`, [['-p']], 'SYSTEM'),
  P('MRT.exe', `${S32}\\MRT.exe`, 'wuauclt.exe', `${S32}\\wuauclt.exe`, [['/EHB', '/Q']], 'SYSTEM'),
  P('WerFault.exe', `${S32}\\WerFault.exe`, 'svchost.exe', `${S32}\\svchost.exe`, [['-u', '-p', '9876', '-s', '512']], 'owner'),
  P('ipconfig.exe', `${S32}\\ipconfig.exe`, 'cmd.exe', `${S32}\\cmd.exe`, [['/all'], ['/release'], ['/renew']], 'owner'),
  P('gpupdate.exe', `${S32}\\gpupdate.exe`, 'cmd.exe', `${S32}\\cmd.exe`, [['/force']], 'owner'),
  P('msinfo32.exe', `${S32}\\msinfo32.exe`, 'explorer.exe', 'C:\\Windows\\explorer.exe', [[]], 'owner'),
  P('QuickAssist.exe', 'C:\\Program Files\\WindowsApps\\MicrosoftCorporationII.QuickAssist_2.0.35.0_x64__8wekyb3d8bbwe\\Microsoft.RemoteAssistance.QuickAssist\\QuickAssist.exe', 'explorer.exe', 'C:\\Windows\\explorer.exe', [[]], 'owner'),
];

export const RARE_LINUX: ProcDef[] = [
  P('apt-check', '/usr/lib/update-notifier/apt-check', 'sh', '/usr/bin/dash', [['--human-readable']], 'root'),
  P('needrestart', '/usr/sbin/needrestart', 'dpkg', '/usr/bin/dpkg', [['-m', 'a']], 'root'),
  P('mandb', '/usr/bin/mandb', 'systemd', '/usr/lib/systemd/systemd', [['--quiet']], 'root'),
  P('fstrim', '/usr/sbin/fstrim', 'systemd', '/usr/lib/systemd/systemd', [['--listed-in', '/etc/fstab:/proc/self/mountinfo', '--verbose']], 'root'),
  P('certbot', '/usr/bin/certbot', 'systemd', '/usr/lib/systemd/systemd', [['-q', 'renew']], 'root'),
  P('snap', '/usr/bin/snap', 'systemd', '/usr/lib/systemd/systemd', [['refresh']], 'root'),
  P('cloud-init', '/usr/bin/cloud-init', 'systemd', '/usr/lib/systemd/systemd', [['modules', '--mode=final']], 'root'),
  P('ps', '/usr/bin/ps', 'bash', '/usr/bin/bash', [['aux'], ['-ef']], 'owner'),
  P('ss', '/usr/bin/ss', 'bash', '/usr/bin/bash', [['-tlnp']], 'owner'),
  P('ip', '/usr/bin/ip', 'bash', '/usr/bin/bash', [['a']], 'owner'),
  P('htop', '/usr/bin/htop', 'bash', '/usr/bin/bash', [[]], 'owner'),
  P('tcpdump', '/usr/bin/tcpdump', 'sudo', '/usr/bin/sudo', [['-i', 'any', 'port', '5432', '-c', '100']], 'root'),
];
