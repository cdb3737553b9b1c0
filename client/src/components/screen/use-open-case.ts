// Opening a case from the queue, the feed, the search or a handover: while 登记线索 is open the form
// holds the dispatch panel's place, so a case chosen then would be selected unseen (and its panel
// would spring up when the form closes, mid-call). The form keeps its place, as the map's dots do
// while a spot is picked, and says to finish or cancel the registration first.
import { useCasesStore } from '@/stores/cases';
import { useClueDraftStore } from '@/stores/clue-draft';

export function useOpenCase(): (id: string) => void {
  const cases = useCasesStore();
  const draft = useClueDraftStore();
  return (id) => (draft.open ? draft.nudge() : cases.select(id));
}
