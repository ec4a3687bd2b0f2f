/** The playbooks the playbook benchmark runs. */

/** Ten built-in actions on the run's incident: reads, a comment, a task and its completion, tags, severity. */
export const TEN_STEP_PLAYBOOK = `
name: Bench ten steps
trigger: { type: manual, targets: [incident] }
steps:
  - id: read
    uses: incident.get
  - id: accounts
    uses: incident.getEntities
    with: { kind: Account }
  - id: alerts
    uses: incident.getAlerts
  - id: note
    uses: incident.addComment
    with: { message: "Triage of \${{ steps.read.output.incident.title }}: \${{ steps.accounts.output.count }} account(s)" }
  - id: task
    uses: incident.addTask
    with: { title: Check the sign-in logs }
  - id: tag
    uses: incident.update
    with: { addTags: [triaged] }
  - id: severity
    uses: incident.update
    with: { severity: Medium }
  - id: done
    uses: incident.completeTask
    with: { task: "\${{ steps.task.output.taskId }}" }
  - id: reread
    uses: incident.get
  - id: summary
    uses: incident.addComment
    with: { message: "Done: \${{ steps.reread.output.incident.severity }}, tags \${{ $join(steps.reread.output.incident.tags, ', ') }}" }
`;

/**
 * An 11-step triage playbook started by a webhook, every run persisted: normalize the payload,
 * decide, classify, route — the control steps a real triage flow uses, no external calls.
 */
export const WEBHOOK_TRIAGE_PLAYBOOK = `
name: Bench webhook triage
trigger: webhook
steps:
  - id: normalize
    set:
      source: "\${{ $lowercase(trigger.payload.source) }}"
      severity: "\${{ $uppercase($substring(trigger.payload.severity, 0, 1)) & $lowercase($substring(trigger.payload.severity, 1)) }}"
      host: "\${{ trigger.payload.host }}"
  - id: score
    set: { score: "\${{ trigger.payload.count * (vars.severity = 'High' ? 10 : 1) }}" }
  - id: noisy
    if: \${{ vars.score > 50 }}
    then:
      - set: { route: escalate }
    else:
      - set: { route: queue }
  - id: classify
    switch: \${{ vars.severity }}
    cases:
      High:
        - set: { priority: 1 }
      Medium:
        - set: { priority: 2 }
    default:
      - set: { priority: 3 }
  - id: owner
    set: { team: "\${{ vars.priority = 1 ? 'tier2' : 'tier1' }}" }
  - id: summary
    set: { text: "\${{ vars.host & ' ' & vars.severity & ' ' & vars.route }}" }
  - id: enrich
    set: { tags: "\${{ [vars.source, vars.team, vars.route] }}" }
  - id: sla
    set: { hours: "\${{ vars.priority = 1 ? 4 : 24 }}" }
  - id: finish
    stop: { status: succeeded, message: "\${{ vars.text }}" }
`;

/** A webhook payload for the triage playbook; every fourth is High. */
export function triagePayload(i: number): Record<string, unknown> {
  return { source: 'EDR', severity: i % 4 === 0 ? 'high' : 'medium', host: `ws-${i % 500}`, count: i % 13 };
}
