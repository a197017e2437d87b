/** The graph a first visit opens with (see nodes/templates). */
export { STARTER_GRAPH } from '@/nodes/templates';
