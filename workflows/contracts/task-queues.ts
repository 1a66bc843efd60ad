/**
 * Task queues besides the one a workflow runs on. Typesetting the PDF and DOCX volumes of a large
 * cycle takes gigabytes and minutes; on a queue of its own, a documents worker process does it
 * (`partnerflow worker --role documents`), and the workers that hold the reminders keep their
 * memory bound (README, Worker roles).
 */
export function documentsTaskQueue(taskQueue: string): string {
  return `${taskQueue}-documents`;
}
