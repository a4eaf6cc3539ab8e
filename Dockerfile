# The image the manifests of `npm run k8s` run: Node 20, leaklab's runtime dependencies (tsx
# runs the TypeScript sources as they are, so there is no build step) and its code.
#
#   docker build -t registry.example.com/leaklab:$(git rev-parse --short HEAD) .
#
# The run store keys results by a hash of sim/, models/, experiments/, package.json and
# package-lock.json, all copied here unchanged, so shards computed in this image and a checkout
# of the same commit agree (npm run merge refuses shards computed by different code).
FROM node:20-slim

WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY tsconfig.json ./
COPY sim ./sim
COPY models ./models
COPY experiments ./experiments
COPY notebooks ./notebooks

# The manifests run the pods as this user (uid and gid 1000) and give the results volume to
# its group (fsGroup). tsx caches its compiled sources under /tmp.
USER node
CMD ["node", "--import", "tsx", "experiments/cli.ts", "--help"]
