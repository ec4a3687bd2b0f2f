/** Adaptive Cards for Microsoft Teams webhooks (Workflows and incoming webhooks both take this envelope). */

/** What a simple message holds. */
export interface CardContent {
  title?: string;
  text?: string;
  facts?: { name: string; value: string }[];
  links?: { title: string; url: string }[];
}

/** Builds an Adaptive Card (schema 1.4) from a title, markdown text, facts and link buttons. */
export function adaptiveCard(content: CardContent): Record<string, unknown> {
  const body: Record<string, unknown>[] = [];
  if (content.title) body.push({ type: 'TextBlock', text: content.title, weight: 'Bolder', size: 'Medium', wrap: true });
  if (content.text) body.push({ type: 'TextBlock', text: content.text, wrap: true });
  if (content.facts?.length) body.push({ type: 'FactSet', facts: content.facts.map((f) => ({ title: f.name, value: f.value })) });
  return {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.4',
    body,
    ...(content.links?.length
      ? { actions: content.links.map((l) => ({ type: 'Action.OpenUrl', title: l.title, url: l.url })) }
      : {}),
  };
}

/** The message envelope Teams webhooks expect around a card. */
export function cardMessage(card: Record<string, unknown>): Record<string, unknown> {
  return {
    type: 'message',
    attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card }],
  };
}
