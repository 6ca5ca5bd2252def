const cell = (value: string) =>
  value
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ');

/** The PR body: the description, a table of the request and links back to the portal. */
export function renderPullRequestBody(options: {
  description?: string;
  details?: Record<string, unknown>;
  entityUrl?: string;
  taskUrl?: string;
  branch: string;
}): string {
  const parts: string[] = [];
  if (options.description) parts.push(options.description.trim());
  const rows = Object.entries(options.details ?? {});
  if (rows.length > 0) {
    parts.push(
      [
        '| Field | Value |',
        '| --- | --- |',
        ...rows.map(
          ([k, v]) =>
            `| ${cell(k)} | ${cell(
              Array.isArray(v) ? v.join(', ') : String(v),
            )} |`,
        ),
      ].join('\n'),
    );
  }
  const links = [
    options.entityUrl &&
      `[Open the VM in Sankofa Portal](${options.entityUrl})`,
    options.taskUrl && `[Scaffolder task](${options.taskUrl})`,
  ].filter(Boolean);
  if (links.length > 0) parts.push(links.join(' · '));
  parts.push(
    `<sub>Opened by Sankofa Portal from branch \`${options.branch}\`; re-running the request updates this pull request.</sub>`,
  );
  return `${parts.join('\n\n')}\n`;
}
