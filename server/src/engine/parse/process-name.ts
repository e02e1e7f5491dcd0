// Process names comparable across sources: Windows and POSIX paths, quoted or not, reduce
// to the bare file name; the caller keeps the full path in process.executable.

/** The file name of a path, "C:\\Windows\\System32\\cmd.exe" -> "cmd.exe", "/usr/bin/python3" -> "python3". */
export function processNameFromPath(path: string): string {
  let text = path.trim();
  if (text.length >= 2 && text.charCodeAt(0) === 34 && text.charCodeAt(text.length - 1) === 34) text = text.slice(1, -1);
  let cut = -1;
  for (let i = text.length - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 47 || c === 92) {
      cut = i;
      break;
    }
  }
  return cut < 0 ? text : text.slice(cut + 1);
}

/**
 * The executable of a command line: a quoted first token ("C:\\Program Files\\x.exe" -a)
 * or the text up to the first space.
 */
export function executableOfCommandLine(commandLine: string): string {
  const text = commandLine.trimStart();
  if (text.charCodeAt(0) === 34) {
    const end = text.indexOf('"', 1);
    return end < 0 ? text.slice(1) : text.slice(1, end);
  }
  const space = text.indexOf(' ');
  return space < 0 ? text : text.slice(0, space);
}

/** Sets process.command_line, process.executable and process.name from a command line. */
export function setProcessFromCommandLine(fields: Record<string, string | number>, commandLine: string): void {
  fields['process.command_line'] = commandLine;
  const executable = executableOfCommandLine(commandLine);
  if (executable === '') return;
  fields['process.executable'] = executable;
  fields['process.name'] = processNameFromPath(executable);
}
