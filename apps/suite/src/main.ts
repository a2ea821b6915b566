// Placeholder until the suite server lands (issue 4).
process.stdout.write('moe suite: the suite server is not built yet\n');
