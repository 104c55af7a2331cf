// End-to-end flows cross several app processes.
jest.setTimeout(300_000);
