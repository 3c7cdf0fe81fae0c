// Reads the page's HTTP status, as Page Medic's content script does first, and stops.
performance.getEntriesByType('navigation')[0]?.responseStatus;
