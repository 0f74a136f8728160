/** Where a live subscription resumes: the event id of the last message received. */

/** The `eventId` of a subscription message (`{ fieldName: { eventId, ... } }`), if it has one. */
export function lastEventId(data: unknown): string | null {
  if (data === null || typeof data !== "object") return null;
  const event = Object.values(data)[0];
  if (event === null || typeof event !== "object" || !("eventId" in event)) return null;
  return typeof event.eventId === "string" ? event.eventId : null;
}
