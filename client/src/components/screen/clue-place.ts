// 查找地点's answer while a clue is registered: the place the operator chose in the form (ClueForm),
// a community, a grid, a school's grid or a township, which the map outlines and names (CluePicker)
// so the spot is clicked inside it, not among the dedicated grids' names around. Null: none (nothing
// chosen, coordinates chosen — the spot is set, its ring shows it — or the form closed).
import { shallowRef } from 'vue';
import type { Feature } from 'geojson';

export const cluePlace = shallowRef<Feature | null>(null);
